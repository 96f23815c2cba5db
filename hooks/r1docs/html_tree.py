"""A finished page as a tree of elements, text and raw markup, written back byte for byte.

The typesetting passes (`typeset.py`) change what a page shows; they work here, where tags,
attribute values, text, comments and the contents of <script> and <style> are told apart, not
with regexes over the page's source. Only what a pass changes is written anew: every other
node keeps its exact source, so an untouched page comes back unchanged.

The input is HTML as MkDocs, Material and the renderers write it (tags closed, SVG and MathML
inline). A stray end tag is kept as raw markup; an element closed implicitly (by its parent's
end tag, or by the end of the page) gets no end tag of its own, as in the source.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Iterator

from .model import paused_gc

# One tag, comment or declaration. An attribute value may hold ">" or "<" inside its quotes.
_TOKEN = re.compile(r"""
    (?P<text>[^<]+)
  | <(?P<start>[A-Za-z][^\s/>]*)(?P<attrs>(?:[^>"']+|"[^"]*"|'[^']*')*)>
  | </(?P<end>[A-Za-z][^\s/>]*)\s*>
  | <!--.*?-->
  | <[!?][^>]*>
  | <
""", re.S | re.X)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Elements whose content is not markup: their text runs to the matching end tag.
_RAW_TEXT = {"script", "style", "textarea", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    __slots__ = ("parent",)

    def source(self) -> str:
        raise NotImplementedError


class Raw(Node):
    """A comment, a declaration, a stray end tag or markup a pass wrote: kept as it stands.
    Text between tags is a plain string in its parent's children, as written in the source
    (entities not decoded)."""

    __slots__ = ("raw",)

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.parent = None

    def source(self) -> str:
        return self.raw


class Element(Node):
    __slots__ = ("tag", "children", "_start", "_end", "_attrs", "_span")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None, children: list[Node] | None = None,
                 *, start: str | None = None, end: str | None = None) -> None:
        self.tag = tag
        self.parent = None
        self._attrs = attrs
        self._start = start  # the source start tag while the attributes are unchanged
        self._end = f"</{tag}>" if end is None else end
        self._span: tuple[str, int, int] | None = None  # (page, start, end) while unchanged
        self.children = []
        for child in children or []:
            self.append(child)

    # --- attributes ---------------------------------------------------------------------
    @property
    def attrs(self) -> dict[str, str]:
        if self._attrs is None:
            self._attrs = {}
            body = self._start[1 + len(self.tag):-1].rstrip("/")
            for m in _ATTR.finditer(body):
                value = next((v for v in m.groups()[1:] if v is not None), "")
                self._attrs.setdefault(m[1], html.unescape(value))
        return self._attrs

    def get(self, name: str, default: str | None = None) -> str | None:
        """An attribute's value; the name is matched without regard to case, as HTML does."""
        attrs = self.attrs
        if name in attrs:
            return attrs[name]
        return next((v for k, v in attrs.items() if k.lower() == name.lower()), default)

    def set(self, name: str, value: str) -> None:
        self.attrs[name] = value
        self._start = None
        self.touch()

    def set_attrs(self, attrs: dict[str, str]) -> None:
        """All attributes anew, in this order."""
        self._attrs, self._start = dict(attrs), None
        self.touch()

    def touch(self) -> None:
        """Mark this element and its ancestors changed: they are written from their nodes, not
        copied from the source. Every edit of `children` calls it (append, replace do)."""
        el: Node | None = self
        while el is not None:  # all the way up: an element closed implicitly has no span itself
            el._span = None
            el = el.parent

    def classes(self) -> list[str]:
        return (self.get("class") or "").split()

    def attrs_source(self) -> str:
        """The attributes as written in the source start tag (a pass may scan it)."""
        return (self._start or self.start_tag())[1 + len(self.tag):-1]

    def start_tag(self) -> str:
        if self._start is None:
            attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' if v else f" {k}" for k, v in self.attrs.items())
            self._start = f"<{self.tag}{attrs}>"
        return self._start

    # --- structure ----------------------------------------------------------------------
    def append(self, child: Node | str) -> None:
        """Add a node or text (a string, as written in HTML) at the end."""
        if isinstance(child, Node):
            child.parent = self
        self.children.append(child)
        self.touch()

    def replace(self, old: Node, new: list[Node | str]) -> None:
        """Put `new` where the child `old` is."""
        i = next(i for i, c in enumerate(self.children) if c is old)
        for n in new:
            if isinstance(n, Node):
                n.parent = self
        self.children[i:i + 1] = new
        self.touch()

    def iter(self, tag: str | None = None) -> Iterator["Element"]:
        """This element and every element below it, in document order (a snapshot: passes may
        change the tree while they walk it)."""
        out, stack = [], [self]
        while stack:
            el = stack.pop()
            if tag is None or el.tag == tag:
                out.append(el)
            stack.extend(c for c in reversed(el.children) if isinstance(c, Element))
        return iter(out)

    def source(self) -> str:
        parts: list[str] = []
        _write(self, parts)
        return "".join(parts)

    def inner_source(self) -> str:
        parts: list[str] = []
        for c in self.children:
            _write(c, parts)
        return "".join(parts)


def _write(node: Node, parts: list[str]) -> None:
    if isinstance(node, Element) and node._span is not None:
        page, start, end = node._span
        parts.append(page[start:end])
    elif isinstance(node, Element):
        parts.append(node.start_tag())
        for c in node.children:
            _write(c, parts)
        parts.append(node._end)
    elif isinstance(node, str):
        parts.append(node)
    else:
        parts.append(node.raw)


class Document(Element):
    """The page: an element with no tags of its own. It knows its elements by tag, as parsed
    (`iter(tag)` then walks no tree; an element a pass removed is left out, one it made is not
    listed)."""

    __slots__ = ("by_tag",)

    def __init__(self) -> None:
        super().__init__("#document", {}, start="", end="")
        self.by_tag: dict[str, list[Element]] = {}

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        if tag is None:
            return super().iter()
        return iter([el for el in self.by_tag.get(tag, []) if _attached(el, self)])


def _attached(el: Element, doc: Element) -> bool:
    while el.parent is not None:
        if el not in el.parent.children:
            return False
        el = el.parent
    return el is doc


def _skip_to_end(page: str, pos: int, tag: str, el: Element) -> int:
    """Past the end tag that closes `el` (the same tokens as a full parse, so a ">" or an end
    tag inside an attribute value or a <script> is not taken for it); its content kept raw."""
    depth, start, n = 1, pos, len(page)
    search = _TOKEN.search
    while pos < n:
        m = search(page, pos)
        if m is None:
            break
        pos = m.end()
        kind = m.lastgroup
        if kind in ("attrs", "start"):
            t = m["start"].lower()
            if t in _RAW_TEXT and not m["attrs"].endswith("/"):
                close = _raw_text_end(t).search(page, pos)
                pos = close.end() if close else n
            elif t == tag and not m["attrs"].endswith("/"):
                depth += 1
        elif kind == "end" and m["end"].lower() == tag:
            depth -= 1
            if depth == 0:
                if m.start() > start:
                    el.children.append(Raw(page[start:m.start()]))
                el._end = m[0]
                return pos
    if n > start:
        el.children.append(Raw(page[start:n]))
    return n


@functools.lru_cache(maxsize=None)
def _raw_text_end(tag: str) -> re.Pattern:
    return re.compile(rf"</{tag}\s*>", re.I)


def parse(page: str, opaque: tuple[str, ...] = ()) -> Document:
    """The page as a tree. Elements named in `opaque` are found and kept whole, their content
    one raw piece (a caller that edits none of it saves their parsing)."""
    with paused_gc():
        return _parse(page, frozenset(opaque))


def dismantle(doc: Element) -> None:
    """Unlink every node from its parent, so the tree is freed at once, not by the collector."""
    stack = [doc]
    while stack:
        el = stack.pop()
        for child in el.children:
            if isinstance(child, Node):
                child.parent = None
                if isinstance(child, Element):
                    stack.append(child)
    if isinstance(doc, Document):
        doc.by_tag.clear()


def _parse(page: str, opaque: frozenset[str]) -> Document:
    doc = Document()
    by_tag = doc.by_tag
    begin: dict[Element, int] = {}
    stack: list[Element] = [doc]
    children = doc.children
    pos, n = 0, len(page)
    search = _TOKEN.search
    while pos < n:
        m = search(page, pos)
        if m is None:  # a lone "<" at the very end
            children.append(page[pos:])
            break
        pos = m.end()
        kind = m.lastgroup
        if kind == "text":
            children.append(m[0])
        elif kind == "attrs" or kind == "start":
            tag = m["start"].lower()
            el = Element(tag, start=m[0], end="")
            el.parent = stack[-1]
            children.append(el)
            by_tag.setdefault(tag, []).append(el)
            begin[el] = m.start()
            if tag in _VOID or m["attrs"].endswith("/"):
                el._span = (page, m.start(), pos)
                continue
            if tag in opaque:
                pos = _skip_to_end(page, pos, tag, el)
                el._span = (page, m.start(), pos)
                continue
            if tag in _RAW_TEXT:
                close = _raw_text_end(tag).search(page, pos)
                stop = close.start() if close else n
                if stop > pos:
                    el.children.append(page[pos:stop])
                el._end = close[0] if close else ""
                pos = close.end() if close else n
                el._span = (page, m.start(), pos)
                continue
            stack.append(el)
            children = el.children
        elif kind == "end":
            tag = m["end"].lower()
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    stack[depth]._end = m[0]
                    stack[depth]._span = (page, begin[stack[depth]], pos)  # those closed implicitly: none
                    del stack[depth:]
                    children = stack[-1].children
                    break
            else:
                children.append(Raw(m[0]))  # an end tag with no open element: kept as written
        else:  # comment, declaration, or a "<" that starts no tag
            children.append(Raw(m[0]))
    return doc
