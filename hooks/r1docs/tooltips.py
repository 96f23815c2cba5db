"""Glossary tooltips and the glossary page, as a Python-Markdown extension.

It works on the parsed document, after the inline patterns and attribute lists: code, math,
links, raw HTML, headings and titles are elements or stashed placeholders by then, so a term
is only ever linked in prose, and nothing the glossary holds can change a page's structure.
The first use of each term on a page becomes `<a class="glossary-term" title="definition">`
pointing at the term's entry; on the glossary page itself the entries are appended as
elements (their text escaped by the serializer, so a definition cannot carry HTML).
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .glossary import PAGE, Glossary

# Elements whose text is never a place for a link: code, math, links, headings, titles
# (admonition, details, tab labels), abbreviations, footnote references, and embedded media.
SKIP_TAGS = frozenset("a abbr code kbd samp pre script style textarea button select option label summary sup "
                      "h1 h2 h3 h4 h5 h6 svg math figcaption".split())
SKIP_CLASSES = frozenset({"arithmatex", "admonition-title", "footnote", "mermaid-source", "headerlink"})
# Never linked inside: raw HTML and escaped characters (waiting in the text as \x02...\x03
# placeholders until the end), and a URL or e-mail address written out as text.
# An attribute list that attr_list did not take (it stays text) is not prose either.
PROTECTED = re.compile(
    r"""\x02[^\x03]*\x03
      | (?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>"]+
      | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
      | \{:?[ ]*(?:[#.][\w-]|[\w-]+=)[^}\n]*\}""",
    re.X | re.I,
)
SEPARATOR = "\x00"
STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
# One raw inline tag, as Python-Markdown stashes it: what it says about the nesting depth.
RAW_TAG = re.compile(r"<(?P<close>/)?\s*(?P<name>[A-Za-z][\w-]*)(?:\s[^>]*?)?(?P<empty>/)?\s*>\s*\Z", re.S)
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Elements inside a block's running text. A raw tag left open ends with its block, as in a
# browser (`<p>A <span>open</p>` closes the span): the next block is prose again.
INLINE = frozenset("a abbr b bdi bdo br cite code data del dfn em i img ins kbd mark q s samp small span strong "
                   "sub sup time u var wbr".split())

LABELS = {
    "zh": {"abbr": "缩写", "page": "详见"},
    "en": {"abbr": "Abbreviation", "page": "Explained in"},
}


@dataclass(frozen=True)
class PageContext:
    """What the extension needs to know about the page being converted (set by the hook)."""

    glossary: Glossary
    lang: str
    glossary_link: str  # relative path from the page to the glossary page, e.g. '../glossary.md'
    is_glossary_page: bool = False
    titles: dict[str, str] = field(default_factory=dict)  # 'moe.md' -> its H1, for the glossary page


class TooltipsExtension(Extension):
    """One instance serves a whole build; `page` is set before each page is converted."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.page: PageContext | None = None

    def extendMarkdown(self, md: Markdown) -> None:
        # After attr_list (8) and abbr (7), before toc (5) and MkDocs' anchor collection (5) and
        # link rewriting (0): the entries' headings get permalinks and their links are validated.
        md.treeprocessors.register(TooltipsTreeprocessor(md, self), "r1docs_tooltips", 6)


class TooltipsTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: TooltipsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        page = self.extension.page
        if page is None:
            return
        if page.is_glossary_page:
            append_entries(root, page)
        else:
            link_first_uses(root, page, self.md.htmlStash.rawHtmlBlocks)


# --- Tooltips -------------------------------------------------------------------------------
def _skipped(element: etree.Element) -> bool:
    if element.tag in SKIP_TAGS or not isinstance(element.tag, str):
        return True
    return bool(SKIP_CLASSES & set((element.get("class") or "").split()))


def _slots(root: etree.Element) -> list[tuple[etree.Element, etree.Element | None]]:
    """Every text in which a term may be linked, in reading order: (holder, None) for
    holder.text, (holder, parent) for holder.tail. (A loop, not recursion: a deeply nested
    page must not exhaust Python's stack here.)"""

    def prose(text: str | None) -> bool:
        return bool(text) and not isinstance(text, AtomicString)

    slots: list[tuple[etree.Element, etree.Element | None]] = [(root, None)] if prose(root.text) else []
    stack = [(root, iter(list(root)))]
    while stack:
        element, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and prose(element.tail):
                slots.append((element, stack[-1][0]))
        elif _skipped(child):
            if prose(child.tail):
                slots.append((child, element))
        else:
            if prose(child.text):
                slots.append((child, None))
            stack.append((child, iter(list(child))))
    return slots


class _RawDepth:
    """How many raw inline HTML elements (`<a href=…>`, `<span>`) are open at a point of the
    page: their content is the author's HTML, no place for a link of ours."""

    def __init__(self, stash: list[str]) -> None:
        self.stash = stash
        self.depth = 0

    def runs(self, text: str) -> list[tuple[int, int]]:
        """The stretches of `text` outside raw HTML, placeholders, URLs and addresses."""
        runs, position = [], 0
        for m in PROTECTED.finditer(text):
            if m.start() > position and self.depth == 0:
                runs.append((position, m.start()))
            position = m.end()
            self._count(m[0])
        if position < len(text) and self.depth == 0:
            runs.append((position, len(text)))
        return runs

    def _count(self, token: str) -> None:
        stashed = STASHED.fullmatch(token)
        if not stashed or int(stashed[1]) >= len(self.stash):
            return
        tag = RAW_TAG.match(str(self.stash[int(stashed[1])]))
        if not tag or tag["empty"] or tag["name"].lower() in VOID:
            return
        self.depth = max(0, self.depth - 1) if tag["close"] else self.depth + 1


def link_first_uses(root: etree.Element, page: PageContext, stash: list[str] | None = None) -> set[str]:
    """Link the first use of each term in the page's prose; return the ids linked.
    `stash` is Python-Markdown's raw HTML store, to tell where raw inline elements are open."""
    slots = _slots(root)
    texts = [(holder.text if parent is None else holder.tail) or "" for holder, parent in slots]
    find = page.glossary.finder(page.lang)
    # Every stretch of prose, in reading order, searched in one pass: joined by a character no
    # term holds (the glossary refuses control characters) and that no boundary takes for a letter.
    raw = _RawDepth(stash or [])
    # A raw inline tag left open ends with its block (paragraph, list item), as a browser closes it.
    parents = {child: element for element in root.iter() for child in element}
    block, runs = None, []
    for index, ((holder, parent), text) in enumerate(zip(slots, texts)):
        here = _block(holder if parent is None else parent, parents)
        if here is not block:
            block, raw.depth = here, 0
        runs.extend((index, start, end) for start, end in raw.runs(text))
    offsets, position = [], 0
    for index, start, end in runs:
        offsets.append(position)
        position += end - start + 1
    joined = SEPARATOR.join(texts[index][start:end] for index, start, end in runs)
    linked: set[str] = set()
    matches: dict[int, list[tuple[int, int, str]]] = {}
    for m, term_id in find(joined):
        if term_id not in linked:
            linked.add(term_id)
            run = bisect.bisect_right(offsets, m.start()) - 1
            index, start, _ = runs[run]
            shift = start - offsets[run]
            matches.setdefault(index, []).append((m.start() + shift, m.end() + shift, term_id))
    for index, found in matches.items():
        holder, parent = slots[index]
        _replace(holder, parent, texts[index], found, page)
    return linked


def _block(element: etree.Element, parents: dict) -> etree.Element:
    """The block element whose running text `element` is part of (a paragraph, list item, cell)."""
    while element.tag in INLINE and element in parents:
        element = parents[element]
    return element


def _replace(holder: etree.Element, parent: etree.Element | None, text: str,
             matches: list[tuple[int, int, str]], page: PageContext) -> None:
    anchors = []
    for number, (start, end, term_id) in enumerate(matches):
        term = page.glossary.by_id[term_id]
        a = etree.Element("a", {"href": f"{page.glossary_link}#{term.id}", "title": term.definition(page.lang),
                                "class": "glossary-term"})
        a.text = text[start:end]
        a.tail = text[end : matches[number + 1][0] if number + 1 < len(matches) else len(text)]
        anchors.append(a)
    before = text[: matches[0][0]]
    if parent is None:
        holder.text = before
        for index, a in enumerate(anchors):
            holder.insert(index, a)
    else:
        holder.tail = before
        at = list(parent).index(holder) + 1
        for index, a in enumerate(anchors):
            parent.insert(at + index, a)


# --- The glossary page ----------------------------------------------------------------------
def append_entries(root: etree.Element, page: PageContext) -> None:
    """One section per term, sorted for the language (pinyin in Chinese, alphabetical else):
    heading with the term's anchor, the term in the other language, the definition (plain
    text, one paragraph per blank-line-separated part) and the topic page."""
    lang = page.lang
    label = LABELS.get(lang, LABELS["en"])
    others = [x for x in page.glossary.languages if x != lang]
    if len(root) and not root[-1].tail:
        root[-1].tail = "\n"

    def block(tag: str, attrib: dict | None = None) -> etree.Element:
        element = etree.SubElement(root, tag, attrib or {})
        element.tail = "\n"  # prettify (10) has run: lay out the source like the rest
        return element

    for term in page.glossary.ordered(lang):
        heading = block("h2", {"id": term.id})
        name = term.name(lang) or term.id
        heading.text = (f"{name}（{term.abbr}）" if lang == "zh" else f"{name} ({term.abbr})") if term.abbr else name
        other = next((term.name(x) for x in others if term.name(x)), "")
        if other:
            p = block("p")
            if lang == "zh":
                p.text = other
            else:
                etree.SubElement(p, "em").text = other
        for part in re.split(r"\n\s*\n", term.definition(lang)):
            if part.strip():
                block("p").text = " ".join(part.split())
        page_name = term.page.partition("#")[0]
        p = block("p")
        p.text = f"{label['page']}: "
        # Only ever a link to a doc file (the data check reports any other `page`).
        link = etree.SubElement(p, "a", {"href": term.page}) if PAGE.fullmatch(term.page) else etree.SubElement(p, "span")
        link.text = page.titles.get(page_name, page_name)
