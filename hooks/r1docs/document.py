"""One parsed view of a page's Markdown, with line numbers, that every check reads.

It is built from markdown-it-py with the plugins for the dialect MkDocs renders here
(attribute-list heading ids, admonitions, pymdown tabs, dollar math, footnotes, definition
lists, tables, front matter, raw HTML). Nothing inside a code span or a code block is prose or
a link; a line that starts with HTML is read like any other; reference-style links, `<a href>`,
`<img src>` and `[t](<x.md>)` are links. Sections run from one heading to the next.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from itertools import chain, repeat
from typing import TYPE_CHECKING, Callable, NamedTuple
from urllib.parse import unquote

from .model import paused_gc

if TYPE_CHECKING:  # the parser is imported on first use: a run that finds every view cached never needs it
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

# Python-Markdown's attr_list at the end of a heading: `## Title { #id .class }`.
HEADING_ATTRS = re.compile(r"\s*\{:?[ ]*(?P<attrs>[^}\n ][^}\n]*)[ ]*\}\s*$")
ATTR_ID = re.compile(r"(?:^|\s)#(?P<id>[^\s}]+)")
VALID_ID = re.compile(r"[A-Za-z][\w-]*", re.ASCII)
HTML_ATTR = re.compile(r"""\b(?P<name>href|src)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""", re.I)
HTML_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][\w-]*)")
FENCE_CLOSE = re.compile(r"^\s*(`{3,}|~{3,})\s*$")
VOID_TAGS = {"br", "img", "hr", "wbr", "input", "source", "meta", "link", "area", "col", "embed"}
# A paragraph that is an include or macro of some build tool, not prose: FastAPI's `{* file *}`,
# mkdocs-include-markdown `{% include %}`, macros `{{ x }}`, snippets `--8<--`, hello-algo `[file]{…}`.
DIRECTIVE = re.compile(r"\{\*.*\*\}|\{!.*!\}|\{%.*%\}|\{\{.*\}\}|-{2}8<-{2}.*|\[file\]\{.*", re.S)
BLOCK_NAMES = {"list_item_open": "list item", "admonition_open": "admonition", "blockquote_open": "quote",
               "tab_open": "tab"}
PENDING = re.compile(r"<!--\s*translation:\s*pending\s*-->", re.I)


class Heading(NamedTuple):
    line: int
    level: int
    title: str
    id: str | None  # the explicit `{ #id }`, as written (validity is a finding of its own)


class Link(NamedTuple):
    line: int
    text: str
    target: str
    image: bool
    kind: str = "inline"  # inline, reference, html, autolink


class Segment(NamedTuple):
    """A stretch of text on one line; `col` is its column in the raw line, -1 if unknown."""

    line: int
    col: int
    text: str
    title: bool = False  # an admonition/tab title, or text whose column is unknown: no place for a link


class CodeBlock(NamedTuple):
    line: int
    lang: str
    text: str


class Problem(NamedTuple):
    """Something in the page's structure that makes it unreadable as intended."""

    line: int
    message: str


@dataclass
class Section:
    """A heading and what follows it up to the next heading; `key` pairs it across languages."""

    key: str
    heading: Heading | None
    start: int
    end: int  # last line
    pending: bool = False


# --- The parser -----------------------------------------------------------------------------
TAB_MARKERS = ("===+", "===!", "===")


def _tabs(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """pymdownx.tabbed: `=== "Title"` with its content indented by four spaces."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    line = state.src[start:maximum]
    marker = next((m for m in TAB_MARKERS if line.startswith(m)), None)
    if marker is None or not re.match(r'\s+"', line[len(marker):]):
        return False
    if silent:
        return True
    title = line[len(marker):].strip().strip('"')
    old_parent, old_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "admonition"
    state.blkIndent += 4
    next_line = start_line
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        pos = state.bMarks[next_line] + state.tShift[next_line]
        if pos < state.eMarks[next_line] and state.sCount[next_line] < state.blkIndent:
            break
    state.lineMax = next_line
    token = state.push("tab_open", "div", 1)
    token.map = [start_line, next_line]
    token.content = title
    token = state.push("tab_title", "", 0)
    token.map = [start_line, start_line + 1]
    token.content = title
    state.md.block.tokenize(state, start_line + 1, next_line)
    state.push("tab_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_max, old_indent
    state.line = next_line
    return True


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(front_matter_plugin)
        .use(admon_plugin)
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(dollarmath_plugin, allow_space=False, allow_digits=True, double_inline=True)
    )
    md.block.ruler.before("fence", "tabs", _tabs, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    # Emphasis changes no text, link or line the checks read; skipping it saves a fifth of the time.
    md.disable(["emphasis"])
    return md


@functools.cache
def _md() -> MarkdownIt:
    return _parser()


class _HTMLText(HTMLParser):
    """Text and link targets of a raw HTML block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str, bool]] = []  # (line offset, target, image)
        self.text: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        line = self.getpos()[0] - 1
        if tag == "a" and values.get("href"):
            self.links.append((line, values["href"], False))
        elif tag in ("img", "source") and values.get("src"):
            self.links.append((line, values["src"], True))
        if tag in ("script", "style", "code", "pre"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            line = self.getpos()[0] - 1
            for offset, part in enumerate(data.split("\n")):
                if part.strip():
                    self.text.append((line + offset, part))


def slug_ascii(title: str) -> str:
    """Python-Markdown's default `toc` slug (Chinese text vanishes from it)."""
    import unicodedata

    value = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def slug_unicode(title: str) -> str:
    """pymdownx.slugs.slugify's shape: Unicode word characters kept, lower case."""
    value = re.sub(r"<[^>]+>", "", title)
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def _target(href: str) -> str:
    """A link target as written: markdown-it percent-encodes what it normalises."""
    return href if re.match(r"[a-z][a-z0-9+.-]*:", href, re.I) else unquote(href)


# --- The view -------------------------------------------------------------------------------
class Document:
    """What the checks need from one page's Markdown, computed once."""

    def __init__(self, text: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.lines = text.split("\n")
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.prose: list[Segment] = []
        self.link_texts: list[Segment] = []
        self.math: list[Segment] = []
        self.block_math: list[Segment] = []
        self.diagrams: list[Segment] = []  # Mermaid source lines
        self.diagram_blocks: list[CodeBlock] = []
        self.code: list[CodeBlock] = []  # fenced and indented code, Mermaid excluded
        self.comments: list[Segment] = []
        self.code_spans: list[Segment] = []
        self.table_rows: list[int] = []  # the line of every body row of every table
        self.blocks: list[tuple[int, str]] = []  # (line, kind): list items, admonitions, quotes, tabs
        self.problems: list[Problem] = []
        self.figure_text: list[Segment] = []  # per line: prose, link text and inline math together
        self._cursor: dict[int, int] = {}
        self._math_lines: set[int] = set()
        self._derived: dict[str, object] = {}  # see DERIVED
        try:
            tokens = _md().parse(text)
        except RecursionError:
            self.problems.append(Problem(1, "is nested too deeply to be read (over a thousand levels of lists or quotes)"))
            tokens = []
        self._read(tokens)
        self._find_unclosed_math()

    def __getattr__(self, name: str):
        """A field of a view loaded from the cache, built on first use from its validated rows."""
        shape = _SHAPES.get(name)
        rows = self.__dict__.get("_rows")
        if shape is None or rows is None:
            raise AttributeError(name)
        value = list(map(tuple.__new__, repeat(shape[0]), rows[name]))
        setattr(self, name, value)
        return value

    # -- block level
    def _read(self, tokens) -> None:
        for i, token in enumerate(tokens):
            if token.map is None and token.type not in ("inline",):
                continue
            first = (token.map[0] + 1) if token.map else 0
            kind = token.type
            if kind in ("list_item_open", "admonition_open", "blockquote_open", "tab_open"):
                self.blocks.append((first, BLOCK_NAMES[kind]))
            if kind == "heading_open":
                self._heading(first, int(token.tag[1]), tokens[i + 1])
            elif kind == "inline":
                if tokens[i - 1].type == "heading_open" if i else False:
                    continue  # read with its heading
                title = i > 0 and tokens[i - 1].type == "admonition_title_open"
                if title:
                    self._title(first, token.content)
                elif not DIRECTIVE.fullmatch(token.content.strip()):
                    self._inline(token)
            elif kind == "tab_title":
                self._title(first, token.content)
            elif kind in ("fence", "code_block"):
                self._code(token, first)
            elif kind == "math_block":
                self._math_lines.update(range(token.map[0], token.map[1]))
                for offset, line in enumerate(token.content.split("\n")):
                    if line.strip():
                        self.math.append(Segment(first + offset, 0, line))
                        self.block_math.append(Segment(first + offset, 0, line))
            elif kind == "tr_open" and token.map and tokens[i - 1].type in ("tbody_open", "tr_close") and not (
                    tokens[i - 1].type == "tr_close" and tokens[i - 2].type == "thead_close"):
                if any(t.type == "tbody_open" for t in tokens[max(0, i - 1): i]) or self.table_rows and tokens[i - 1].type == "tr_close":
                    self.table_rows.append(first)
            elif kind == "html_block":
                self._html_block(token, first)

    def _heading(self, line: int, level: int, inline) -> None:
        content = inline.content
        ident = None
        if m := HEADING_ATTRS.search(content):
            if i := ATTR_ID.search(m["attrs"]):
                ident = i["id"]
            content = content[: m.start()]
        title = content.strip().rstrip("#").strip()
        self.headings.append(Heading(line, level, title, ident))
        if ident is not None and not VALID_ID.fullmatch(ident):
            self.problems.append(Problem(line, f"has a heading with the invalid id '#{ident}': an id starts with an ASCII letter "
                                               f"and holds only ASCII letters, digits, '-' and '_'"))
        for child in inline.children or []:
            if child.type == "text":
                text = child.content
                if m := HEADING_ATTRS.search(text):
                    text = text[: m.start()]
                if text.strip():  # headings are not prose (no tooltip links there), but hold figures
                    self.figure_text.append(Segment(line, 0, text))

    def _title(self, line: int, text: str) -> None:
        if text.strip():
            raw = self.lines[line - 1]
            col = raw.find(text)
            self.prose.append(Segment(line, col, text, title=True))
            self.figure_text.append(Segment(line, 0, text))

    def _code(self, token, first: int) -> None:
        lang = (token.info or "").strip().split(" ")[0].strip("{}.").lower() if token.type == "fence" else ""
        body_line = first + 1 if token.type == "fence" else first
        block = CodeBlock(first, lang, token.content)
        if lang == "mermaid":
            self.diagram_blocks.append(block)
            for offset, line in enumerate(token.content.split("\n")):
                if line.strip():
                    self.diagrams.append(Segment(body_line + offset, 0, line))
        else:
            self.code.append(block)
        if token.type == "fence":
            last = self.lines[token.map[1] - 1] if token.map[1] - 1 < len(self.lines) else ""
            closed = token.map[1] - token.map[0] >= 2 and FENCE_CLOSE.match(last) and last.strip()[0] == token.markup[0] \
                and len(last.strip()) >= len(token.markup)
            if not closed:
                self.problems.append(Problem(first, f"opens a code block with '{token.markup}' that is never closed: "
                                                    f"close it with '{token.markup}'"))

    def _html_block(self, token, first: int) -> None:
        content = token.content
        stripped = content.strip()
        if stripped.startswith("<!--"):
            self.comments.append(Segment(first, 0, stripped))
            return
        parser = _HTMLText()
        try:
            parser.feed(content)
            parser.close()
        except Exception:  # a malformed fragment: its text is still read as far as it goes
            pass
        for offset, target, image in parser.links:
            self.links.append(Link(first + offset, "", target, image, "html"))
        for offset, text in parser.text:
            self.prose.append(Segment(first + offset, -1, text, title=True))
            self.figure_text.append(Segment(first + offset, 0, text))
        for m in re.finditer(r"<!--.*?-->", content, re.S):
            self.comments.append(Segment(first + content.count("\n", 0, m.start()), 0, m[0]))

    # -- inline level
    def _inline(self, token) -> None:
        line = token.map[0] + 1
        link_stack: list[list] = []  # [line, target, text parts, kind]
        html_link: list | None = None
        html_depth = 0  # inside inline HTML elements: prose, but no place for a link
        figure: dict[int, list[str]] = {}

        def add_figure(at: int, text: str) -> None:
            figure.setdefault(at, []).append(text)

        for child in token.children or []:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
                add_figure(line - 1, " ")
            elif kind == "text":
                if link_stack:
                    link_stack[-1][2].append(child.content)
                    self.link_texts.append(Segment(line, 0, child.content))
                elif html_link is not None:
                    html_link.append(child.content)
                    self.link_texts.append(Segment(line, 0, child.content))
                else:
                    self._segment(self.prose, line, child.content, linkable=not html_depth)
                add_figure(line, child.content)
            elif kind == "link_open":
                target = _target(child.attrs.get("href", ""))
                link_stack.append([line, target, [], "autolink" if child.markup == "autolink" else ""])
            elif kind == "link_close" and link_stack:
                at, target, parts, link_kind = link_stack.pop()
                text = "".join(parts)
                if not link_kind:  # `[text](target)` is inline; `[text][ref]`, `[text][]`, `[ref]` are references
                    raw = "\n".join(self.lines[at - 1 : line])
                    link_kind = "inline" if re.search(re.escape(text) + r"\]\(", raw) else "reference"
                self.links.append(Link(at, text, target, False, link_kind))
            elif kind == "image":
                target = _target(child.attrs.get("src", ""))
                self.links.append(Link(line, child.content, target, True))
            elif kind == "code_inline":
                self.code_spans.append(Segment(line, 0, child.content))
                add_figure(line, " ")
                self._skip(line, child.content)
            elif kind == "math_inline" or kind == "math_inline_double":
                self.math.append(Segment(line, 0, child.content))
                add_figure(line, child.content)
                self._skip(line, child.content)
            elif kind == "html_inline":
                content = child.content
                if content.startswith("<!--"):
                    self.comments.append(Segment(line, 0, content))
                for m in HTML_ATTR.finditer(content):
                    value = m["dq"] if m["dq"] is not None else (m["sq"] if m["sq"] is not None else m["bare"])
                    is_image = content.lower().startswith(("<img", "<source"))
                    self.links.append(Link(line, "", value, is_image, "html"))
                tag = HTML_TAG.match(content)
                if tag and tag["name"].lower() == "a":
                    html_link = None if tag["close"] else []
                elif tag and tag["name"].lower() not in VOID_TAGS and not content.endswith("/>"):
                    html_depth = max(0, html_depth + (-1 if tag["close"] else 1))
                add_figure(line, " ")
                line += content.count("\n")
            elif kind == "footnote_ref":
                add_figure(line, " ")
        for at, parts in figure.items():
            text = "".join(parts)
            if text.strip():
                self.figure_text.append(Segment(at, 0, text))

    def _segment(self, out: list[Segment], line: int, text: str, linkable: bool = True) -> None:
        if not text:
            return
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        start = self._cursor.get(line, 0)
        col = raw.find(text, start)
        if col < 0:
            out.append(Segment(line, -1, text, title=True))
            return
        self._cursor[line] = col + len(text)
        out.append(Segment(line, col, text, title=not linkable))

    def _skip(self, line: int, text: str) -> None:
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        col = raw.find(text, self._cursor.get(line, 0))
        if col >= 0:
            self._cursor[line] = col + len(text)

    def _find_unclosed_math(self) -> None:
        """A `$$` line outside every math block and code block opens math that never closes."""
        code_lines: set[int] = set()
        for block in (*self.code, *self.diagram_blocks):
            code_lines.update(range(block.line, block.line + block.text.count("\n") + 2))
        for number, raw in enumerate(self.lines, start=1):
            if raw.strip() == "$$" and (number - 1) not in self._math_lines and number not in code_lines:
                self.problems.append(Problem(number, "opens a '$$' math block that is never closed: close it with a line '$$'"))
                break

    # -- sections
    @cached_property
    def sections(self) -> list[Section]:
        """The page top (key ''), then one section per heading, keyed by explicit id, else by
        position and level ('§3:h2')."""
        out = [Section("", None, 1, (self.headings[0].line - 1) if self.headings else len(self.lines))]
        for index, heading in enumerate(self.headings):
            end = self.headings[index + 1].line - 1 if index + 1 < len(self.headings) else len(self.lines)
            key = f"#{heading.id}" if heading.id else f"§{index + 1}:h{heading.level}"
            out.append(Section(key, heading, heading.line, end))
        for comment in self.comments:
            if PENDING.search(comment.text):
                self.section_at(comment.line, out).pending = True
        return out

    def in_section(self, section: Section, name: str) -> list:
        """The records of the field `name` (or the lines of `table_rows`) inside `section`, one of
        `sections`; each field is grouped by section once, so a check over every section pair
        reads each record once."""
        try:
            return self._groups[name][id(section)]
        except (AttributeError, KeyError):
            pass
        groups = self.__dict__.setdefault("_groups", {})
        if name not in groups:
            sections = self.sections
            starts = [s.start for s in sections]
            grouped: dict[int, list] = {id(s): [] for s in sections}
            for item in getattr(self, name):
                line = item if type(item) is int else item[0]
                index = bisect_right(starts, line) - 1
                if index >= 0 and sections[index].start <= line <= sections[index].end:
                    grouped[id(sections[index])].append(item)
            groups[name] = grouped
        found = groups[name].get(id(section))
        if found is None:  # not one of this page's sections: read it the slow way
            return [x for x in getattr(self, name) if section.start <= (x if type(x) is int else x[0]) <= section.end]
        return found

    def section_at(self, line: int, sections: list[Section] | None = None) -> Section:
        sections = sections if sections is not None else self.sections
        found = sections[0]
        for section in sections:
            if section.start <= line:
                found = section
            else:
                break
        return found

    def anchors(self) -> dict[str, Heading]:
        """Every anchor a link can name on this page (explicit ids and both slug shapes)."""
        out: dict[str, Heading] = {}
        seen: set[str] = set()
        for heading in self.headings:
            if heading.id:
                out[heading.id] = heading
                continue
            for slug in {slug_ascii(heading.title), slug_unicode(heading.title)}:
                unique, n = slug, 0
                while not unique or unique in seen:
                    n += 1
                    unique = f"{slug}_{n}"
                seen.add(unique)
                out.setdefault(unique, heading)
        return out


def parse(text: str) -> Document:
    return Document(text)


# --- A disk cache of parsed views ---------------------------------------------------------------
# Parsing is most of the checker's time (a few ms a page); most pages do not change between two
# runs. Views are kept as JSON (data only: a planted file can at worst be ignored, never run),
# keyed by a hash of the page text, under a key naming this module's source and the parser's
# version, written atomically. A damaged file, another version's or one of the wrong shape is
# ignored and rewritten; a view of the wrong shape is parsed again.
CACHE_FILE = "r1docs-views.json"
# Field -> (record type, the value types each column of a cached row may have, exactly): what a
# view must hold. (`type(True)` is bool, not int: a bool is no line number.)
_SEGMENT = ({int}, {int}, {str}, {bool})
_CODE = ({int}, {str}, {str})
_SHAPES = {
    "headings": (Heading, ({int}, {int}, {str}, {str, type(None)})),
    "links": (Link, ({int}, {str}, {str}, {bool}, {str})),
    "prose": (Segment, _SEGMENT),
    "link_texts": (Segment, _SEGMENT),
    "math": (Segment, _SEGMENT),
    "block_math": (Segment, _SEGMENT),
    "diagrams": (Segment, _SEGMENT),
    "diagram_blocks": (CodeBlock, _CODE),
    "code": (CodeBlock, _CODE),
    "comments": (Segment, _SEGMENT),
    "code_spans": (Segment, _SEGMENT),
    "problems": (Problem, ({int}, {str})),
    "figure_text": (Segment, _SEGMENT),
    "blocks": (tuple, ({int}, {str})),
}

# --- What the checks derive from a view, kept with it ------------------------------------------
# A check whose per-page result is a pure function of the view (a page's figures, the nesting of
# its lines) registers it here: name -> (compute, valid). `compute(doc)` returns JSON data (lists,
# not tuples, so a fresh result and a cached one are alike); `valid(results)` says whether every
# cached result of a list (one per view) has its shape, with C loops (`rows_valid`): one call
# checks the results of all views, and a list that fails is checked again one view at a time. The
# views cache keeps each result with its view, so a run with the page unchanged neither computes
# it again nor builds the records it is computed from.
DERIVED: dict[str, tuple[Callable[[Document], object], Callable[[list], bool]]] = {}
# The modules that register (their source keys the cache, whether or not a process imports them).
DERIVING_MODULES = ("figures.py", "structure.py", "drift.py")


def derive(doc: Document, name: str):
    """The result `name` of DERIVED for `doc`, computed once per view."""
    found = doc._derived.get(name)
    if found is None:
        found = doc._derived[name] = DERIVED[name][0](doc)
    return found


@functools.cache
def _cache_key() -> str:
    """This module's source, the deriving modules' and the parser's versions, as running (read
    once per process)."""
    import hashlib
    import importlib.util
    from pathlib import Path

    here = Path(__file__)
    digest = hashlib.sha1(here.read_bytes())
    # The parser's packages by the source of their `__init__` (which states the version), found
    # without importing them or importlib.metadata: a warm run imports neither.
    parser = []
    for package in ("markdown_it", "mdit_py_plugins"):
        spec = importlib.util.find_spec(package)
        try:
            parser.append(hashlib.sha1(Path(spec.origin).read_bytes()).hexdigest()[:8])
        except (AttributeError, TypeError, OSError):  # not installed: the module source still keys the views
            parser.append("unknown")
    for name in DERIVING_MODULES:
        try:
            digest.update(here.with_name(name).read_bytes())
        except OSError:
            digest.update(name.encode("utf-8"))
    return f"{digest.hexdigest()[:12]}/{'+'.join(parser)}"


def _dump(doc: Document) -> dict:
    out: dict = {name: getattr(doc, name) for name in _SHAPES}  # records are tuples: JSON arrays
    out["table_rows"] = doc.table_rows
    out["derived"] = dict(doc._derived)
    return out


def rows_valid(rows, columns: tuple[set, ...]) -> bool:
    """`rows` is a list of lists of exactly len(columns) values, each column of its types. C loops,
    no Python step per row: `_parse_all` checks the records of every cached view in one call per
    field (200,000 records for 2,000 pages)."""
    if type(rows) is not list:
        return False
    if not rows:
        return True
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {len(columns)}:
        return False
    return all(set(map(type, column)) <= types for column, types in zip(zip(*rows), columns))


def _views_valid(views: list) -> bool:
    """Every view of the list has every field of its shape (`_load` checks one view alone)."""
    if not views:
        return True
    if set(map(type, views)) != {dict}:
        return False
    for name, (_, columns) in _SHAPES.items():
        fields = [view.get(name) for view in views]
        if set(map(type, fields)) != {list} or not rows_valid(list(chain.from_iterable(fields)), columns):
            return False
    fields = [view.get("table_rows") for view in views]
    if set(map(type, fields)) != {list} or not set(map(type, chain.from_iterable(fields))) <= {int}:
        return False
    return set(type(view.get("derived", {})) for view in views) == {dict}


def _derived_valid(views: list) -> dict[str, bool]:
    """name -> whether the results `name` of every view of the list are of their shape."""
    return {name: valid([view["derived"][name] for view in views if name in view.get("derived", {})])
            for name, (_, valid) in DERIVED.items()}


def _load(text: str, data, checked: dict[str, bool] | None = None) -> Document | None:
    """A view from its cached data, or None if the data is not of the right shape. Its records
    are built when a check first reads their field (`Document.__getattr__`). `checked`: the data
    passed `_views_valid` with the others, and `_derived_valid` said this of their results."""
    if checked is None:
        if not _views_valid([data]):
            return None
        checked = {}
    doc = Document.__new__(Document)
    doc.text = text[1:] if text.startswith("\ufeff") else text
    doc.lines = doc.text.split("\n")
    doc.table_rows = data["table_rows"]
    doc._rows = data
    doc._derived = {name: value for name, value in data.get("derived", {}).items()  # a damaged result is computed again
                    if name not in DERIVED or checked.get(name) or DERIVED[name][1]([value])}
    return doc


# The file ends with a digest of everything before it: a file this module wrote, unchanged since,
# holds views of the right shape by construction, and checking every record again would cost a
# tenth of a warm run. Any other file (edited, damaged, written by hand) is checked record by record.
DIGEST_TAIL = re.compile(r',"digest":"(?P<digest>[0-9a-f]{40})"\}\Z')
DIGEST_LENGTH = len(',"digest":"') + 40 + len('"}')


def _read_cache(path, key: str) -> tuple[dict, bool]:
    """The cached views (empty if none fit) and whether the file's digest vouches for them."""
    import hashlib
    import json

    try:
        text = path.read_text(encoding="utf-8")  # strict UTF-8 decodes twice as fast as json's own
        data = json.loads(text)
    except (OSError, ValueError):  # missing, unreadable or damaged (ValueError covers bad UTF-8 too)
        return {}, False
    if type(data) is not dict or data.get("key") != key or type(data.get("views")) is not dict:
        return {}, False
    tail = DIGEST_TAIL.search(text, len(text) - DIGEST_LENGTH)
    intact = tail is not None and hashlib.sha1(text[: tail.start()].encode("utf-8")).hexdigest() == tail["digest"]
    return data["views"], intact


def _write_cache(path, key: str, views: dict) -> None:
    import hashlib
    import json
    import os

    body = json.dumps({"key": key, "views": views}, ensure_ascii=False, separators=(",", ":"))[:-1]
    text = f'{body},"digest":"{hashlib.sha1(body.encode("utf-8")).hexdigest()}"}}'
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # a read-only checkout: the views are just not kept


def parse_all(texts: dict[str, str], cache_dir=None) -> dict[str, Document]:
    """uri -> Document for every text, reusing the views cached in `cache_dir` (if given)."""
    with paused_gc():
        return _parse_all(texts, cache_dir)


# The views of the last call, per cache file: `serve` rebuilds with most pages unchanged, and
# reads neither the file nor a page again for them.
_RECENT: dict[str, dict[str, Document]] = {}


def _parse_all(texts: dict[str, str], cache_dir) -> dict[str, Document]:
    import hashlib
    from pathlib import Path

    if cache_dir is None:
        return {uri: Document(text) for uri, text in texts.items()}
    path = Path(cache_dir) / CACHE_FILE
    digests = {uri: hashlib.sha1(text.encode("utf-8")).hexdigest() for uri, text in texts.items()}
    recent = _RECENT.get(str(path), {})
    if recent and set(digests.values()) == recent.keys() and path.is_file():
        return {uri: recent[digest] for uri, digest in digests.items()}
    key = _cache_key()
    stored, intact = _read_cache(path, key) if not recent or not set(digests.values()) <= recent.keys() else ({}, False)
    out, fresh, views = {}, {}, {}
    changed = not stored
    # A file not vouched for by its digest: checked all at once; if any view is damaged, each is
    # checked alone and only those parsed again.
    if intact:
        checked = dict.fromkeys(DERIVED, True)
    else:
        checked = _derived_valid(list(stored.values())) if _views_valid(list(stored.values())) else None
    for uri, text in texts.items():
        digest = digests[uri]
        doc, data = recent.get(digest), None
        if doc is None and (data := stored.get(digest)) is not None:
            doc = _load(text, data, checked)
        if doc is None:
            doc, data, changed = Document(text), None, True
        missing = [name for name in DERIVED if name not in doc._derived]
        if missing:  # kept with the view for the next run (the checks would compute them now anyway)
            for name in missing:
                derive(doc, name)
            if data is not None:
                data, changed = {**data, "derived": {**data.get("derived", {}), **doc._derived}}, True
        out[uri] = doc
        fresh[digest] = data if data is not None else _dump(doc)
        views[digest] = doc
    if changed or fresh.keys() != stored.keys():
        _write_cache(path, key, fresh)
    _RECENT[str(path)] = views
    return out
