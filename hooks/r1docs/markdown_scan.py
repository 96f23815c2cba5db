"""A line scanner for the Markdown of this site: headings, links, and the prose in between.

It is not a Markdown parser. It knows the constructs the checks must see or skip: fenced
code (and Mermaid), `$$` math blocks, inline code and math, links, raw HTML, headings with
their `{ #id }`, admonition titles and HTML comments. Everything else is prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})\s*(?P<info>[\w-]*)")
MATH_FENCE = re.compile(r"^\s*\$\$\s*$")
HEADING = re.compile(
    r"""^(?P<hashes>\#{1,6})\s+(?P<title>.*?)
        (?:\s*\{(?P<attrs>[^}]*)\})?\s*\#*\s*$""",
    re.X,
)
ATTR_ID = re.compile(r"(?:^|\s)#(?P<id>[A-Za-z][\w-]*)")
# [text](target "title") and ![alt](target); nested brackets in text are not used here.
LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")
# What inline prose excludes: code spans, inline math, HTML tags, attribute lists.
INLINE_SKIP = re.compile(r"`[^`]*`|\$[^$\n]+\$|<[^>\n]+>|\{:?\s*[#.][^}]*\}")
# Admonition and tab titles: `!!! warning "Title"`, `??? note "Title"`, `=== "Tab"`.
ADMONITION = re.compile(r'^\s*(?:(?:!!!|\?\?\?\+?)\s+\w[\w-]*|===)(?:\s+"(?P<title>[^"]*)")?\s*$')


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    title: str
    id: str | None


@dataclass(frozen=True)
class Link:
    line: int
    text: str
    target: str
    image: bool


@dataclass(frozen=True)
class Segment:
    """A stretch of prose on one line, with its column in the raw line."""

    line: int
    col: int
    text: str
    title: bool = False  # an admonition or tab title: prose, but no place for a link


class Scan:
    """What the checks need from one page's Markdown, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.prose: list[Segment] = []
        self.math: list[Segment] = []
        self.diagrams: list[Segment] = []
        self._scan()

    def _scan(self) -> None:
        fence: str | None = None
        fence_info = ""
        in_math = False
        in_comment = False
        in_front_matter = bool(self.lines) and self.lines[0].strip() == "---"
        for number, raw in enumerate(self.lines, start=1):
            if in_front_matter:
                if number > 1 and raw.strip() in ("---", "..."):
                    in_front_matter = False
                continue
            if fence is not None:
                if raw.strip().startswith(fence) and raw.strip().strip(fence[0]) == "":
                    fence = None
                elif fence_info == "mermaid":
                    self.diagrams.append(Segment(number, 0, raw))
                continue
            if in_math:
                if MATH_FENCE.match(raw):
                    in_math = False
                else:
                    self.math.append(Segment(number, 0, raw))
                continue
            if in_comment:
                in_comment = "-->" not in raw
                continue
            if m := FENCE.match(raw):
                fence, fence_info = m["fence"], m["info"]
                continue
            if MATH_FENCE.match(raw):
                in_math = True
                continue
            if raw.lstrip().startswith("<!--") and "-->" not in raw:
                in_comment = True
                continue
            if m := HEADING.match(raw):
                ident = ATTR_ID.search(m["attrs"] or "")
                self.headings.append(Heading(number, len(m["hashes"]), m["title"], ident and ident["id"]))
                continue
            if REF_DEFINITION.match(raw) or raw.lstrip().startswith("<"):
                continue  # link definitions and raw HTML blocks are not prose
            if m := ADMONITION.match(raw):
                if m["title"]:
                    self.prose.append(Segment(number, m.start("title"), m["title"], title=True))
                continue
            self._scan_inline(number, raw)

    def _scan_inline(self, number: int, raw: str) -> None:
        """Split one line into links and prose; link text counts as prose for figures only."""
        position = 0
        for m in LINK.finditer(raw):
            self.links.append(Link(number, m["text"], m["target"], bool(m["image"])))
            self._add_prose(number, raw, position, m.start())
            position = m.end()
        self._add_prose(number, raw, position, len(raw))
        for m in re.finditer(r"\$([^$\n]+)\$", raw):
            self.math.append(Segment(number, m.start(1), m[1]))

    def _add_prose(self, number: int, raw: str, start: int, end: int) -> None:
        position = start
        for m in INLINE_SKIP.finditer(raw, start, end):
            if m.start() > position:
                self.prose.append(Segment(number, position, raw[position : m.start()]))
            position = m.end()
        if end > position:
            self.prose.append(Segment(number, position, raw[position:end]))

    @cached_property
    def link_texts(self) -> list[Segment]:
        return [Segment(link.line, 0, link.text) for link in self.links if not link.image]
