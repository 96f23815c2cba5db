"""Structure of one page that no comparison can fix: an unclosed fence or `$$`, an invalid or
repeated heading id, a name that collides with a language's URL."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

import yaml

from . import document
from .document import Document
from .model import Finding, Page

FENCE = re.compile(r"(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)")
# Leading list indentation and quote marks: how deep a line nests (a scan, not a parse).
NESTING = re.compile(r"(?P<prefix>[ \t>]*)(?P<marker>[-*+]|\d{1,9}[.)])?(?=\s)")
# Python-Markdown recurses once per level and exhausts Python's stack a few hundred levels deep
# (markdown-it stops counting sooner); no page means to nest lists or quotes this far.
MAX_NESTING = 100
# No text file of a page holds these (a NUL, a stray escape): a sign of a damaged file. Tab, line
# feed, form feed and carriage return are whitespace.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Problems after which the rest of the page reads as something else (code as prose, prose as code),
# or there is no page: every other finding on it, or into it, only follows from them.
UNREADABLE = ("never closed", "too deeply", "is empty")


def unreadable(finding: Finding) -> bool:
    return any(marker in finding.message for marker in UNREADABLE)


def unparsable(finding: Finding) -> bool:
    """Python-Markdown cannot convert the page at all."""
    return "too deeply" in finding.message


HEADING_ATTRS = re.compile(r"\{:?[ \t]*(?P<attrs>[^{}]*?)[ \t]*\}[ \t#]*$")
ATTR = re.compile(r"""\#(?P<id>[^\s}]+) | \.[^\s}]+ | [\w:-]+=(?:"[^"]*"|'[^']*'|\S+) | (?P<word>\S+)""", re.X)


def _heading_attrs(doc: Document) -> list[tuple[int, str]]:
    """(line, problem) for heading attribute lists Python-Markdown reads otherwise than they look:
    `{ #two words }` (id '#two' and a bare attribute 'words'), `{ #a #b }` (the last id wins)."""
    found = []
    for heading in doc.headings:
        raw = doc.lines[heading.line - 1] if 0 < heading.line <= len(doc.lines) else ""
        m = HEADING_ATTRS.search(raw)
        if not m or "#" not in m["attrs"]:
            continue
        tokens = list(ATTR.finditer(m["attrs"]))
        ids = [t["id"] for t in tokens if t["id"]]
        words = [t["word"] for t in tokens if t["word"]]
        if words:
            found.append((heading.line, f"has the heading attributes '{m[0].rstrip(' #')}', where '{words[0]}' is no id, "
                                        f"class or key=value (the id is '#{ids[0]}'): an id has no spaces, write "
                                        f"'#{'-'.join([ids[0], *words])}'"))
        elif len(ids) > 1:
            found.append((heading.line, f"gives its heading {len(ids)} ids ({', '.join('#' + x for x in ids)}); Python-Markdown "
                                        f"keeps only the last: keep one"))
    return found


# MkDocs' own front matter pattern (mkdocs.utils.meta): YAML between '---' lines at the very top.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def _front_matter(text: str) -> tuple[int, str] | None:
    """(line, problem) when the page opens with front matter that MkDocs would not read: it then
    shows the block as text, silently."""
    m = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not m:
        return None
    try:
        data = yaml.load(m[1], Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return line, f"has front matter that is not valid YAML ({getattr(e, 'problem', None) or 'syntax error'})"
    except RecursionError:
        return 1, "has front matter nested too deep to read"
    if not isinstance(data, dict):
        return 1, "has front matter that is not a mapping of keys (like 'title: ...')"
    return None


def _nesting(doc: Document) -> tuple[int, int] | None:
    """(line, depth) of the first line nesting lists or quotes deeper than MAX_NESTING."""
    for number, raw in enumerate(doc.lines, start=1):
        m = NESTING.match(raw)
        if not m or not m["prefix"]:
            continue
        prefix = m["prefix"].expandtabs(4)
        depth = prefix.count(">") + (len(prefix.replace(">", "")) // 2 if m["marker"] else 0)
        if depth > MAX_NESTING:
            return number, depth
    return None


def _fence_opened_inside(doc: Document) -> list[tuple[int, str, int, str]]:
    """A fenced code block holding a line that opens another fence of its kind, with a language
    (```` ```text ````): almost always an opener left unclosed, which then swallowed the page up to
    that block's end. (A longer outer fence, ```` ```` ````, shows fences on purpose.)"""
    found = []
    for block in doc.code + doc.diagram_blocks:
        opener = FENCE.fullmatch(doc.lines[block.line - 1].rstrip()) if block.line - 1 < len(doc.lines) else None
        if not opener:
            continue
        for offset, raw in enumerate(block.text.split("\n")):
            inner = FENCE.fullmatch(raw.rstrip())
            if (inner and inner["info"].strip() and inner["fence"][0] == opener["fence"][0]
                    and len(inner["fence"]) >= len(opener["fence"])):
                found.append((block.line, opener["fence"], block.line + 1 + offset, raw.strip()))
                break
    return found


def _derived(doc: Document) -> dict:
    """What `check_page` reads off the lines of a view, as JSON data kept with it (`document.DERIVED`)."""
    deep = _nesting(doc) if not any("too deeply" in p.message for p in doc.problems) else None
    return {"nesting": list(deep) if deep else None,
            "heading_attrs": [list(x) for x in _heading_attrs(doc)],
            "fences": [list(x) for x in _fence_opened_inside(doc)]}


_DERIVED_KEYS = {"nesting", "heading_attrs", "fences"}


def _derived_valid(results: list) -> bool:
    if not set(map(type, results)) <= {dict} or any(r.keys() != _DERIVED_KEYS for r in results):
        return False
    attrs, fences = [r["heading_attrs"] for r in results], [r["fences"] for r in results]
    return (document.rows_valid([r["nesting"] for r in results if r["nesting"] is not None], ({int}, {int}))
            and set(map(type, attrs)) <= {list} and document.rows_valid(list(chain.from_iterable(attrs)), ({int}, {str}))
            and set(map(type, fences)) <= {list}
            and document.rows_valid(list(chain.from_iterable(fences)), ({int}, {str}, {int}, {str})))


document.DERIVED["structure"] = (_derived, _derived_valid)


def check_page(page: Page, doc: Document, languages: Sequence[str]) -> list[Finding]:
    if not page.text.strip():
        return [Finding(page.uri, None, f"Doc file '{page.uri}' is empty: write the page, or remove it (and its nav entry).")]
    findings = [Finding(page.uri, p.line, f"Doc file '{page.uri}' (line {p.line}) {p.message}.") for p in doc.problems]
    if m := CONTROL.search(page.text):
        line = page.text.count("\n", 0, m.start()) + 1
        findings.append(Finding(page.uri, line, f"Doc file '{page.uri}' (line {line}) contains the control character "
                                                f"U+{ord(m[0]):04X}: remove it (a damaged file?)."))
    derived = document.derive(doc, "structure")
    deep = derived["nesting"]
    if deep:
        findings.append(Finding(page.uri, deep[0],
            f"Doc file '{page.uri}' (line {deep[0]}) nests lists or quotes too deeply for the Markdown parser (over "
            f"{MAX_NESTING} levels): flatten it."))
    if bad := _front_matter(page.text):
        findings.append(Finding(page.uri, bad[0], f"Doc file '{page.uri}' (line {bad[0]}) {bad[1]}: MkDocs would show "
                                                  "it as text; fix it, or remove it."))
    for line, problem in derived["heading_attrs"]:
        findings.append(Finding(page.uri, line, f"Doc file '{page.uri}' (line {line}) {problem}."))
    for line, fence, inner_line, inner in derived["fences"]:
        findings.append(Finding(page.uri, line,
            f"Doc file '{page.uri}' (line {line}) opens a code block with '{fence}' that is never closed before line "
            f"{inner_line}, where '{inner}' opens another: close the first with '{fence}'."))
    first: dict[str, int] = {}
    for heading in doc.headings:
        if heading.id is None:
            continue
        if heading.id in first:
            findings.append(Finding(page.uri, heading.line,
                f"Doc file '{page.uri}' (line {heading.line}) repeats the heading id '#{heading.id}' of line "
                f"{first[heading.id]}: give each heading its own id."))
        else:
            first[heading.id] = heading.line
    top = page.name.split("/", 1)[0]
    stem = top[:-3] if top.endswith(".md") else top
    if stem in languages:
        findings.append(Finding(page.uri, None,
            f"Doc file '{page.uri}' is named like the language '{stem}': its page would be built at '/{stem}/' "
            f"and collide with that language's site; rename it."))
    return findings


def check_glossary_anchors(page: Page, doc: Document, glossary) -> list[Finding]:
    """On the glossary page, the build appends one heading per entry: an author heading must not
    take an entry's id."""
    ids = {term.id: term for term in glossary.terms}
    return [
        Finding(page.uri, h.line,
                f"Doc file '{page.uri}' (line {h.line}) has the heading id '#{h.id}', which the glossary entry "
                f"'{h.id}' ({glossary.path}, line {ids[h.id].line}) generates on this page: rename the heading.")
        for h in doc.headings if h.id in ids
    ]
