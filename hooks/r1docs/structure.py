"""Structure of one page that no comparison can fix: an unclosed fence or `$$`, an invalid or
repeated heading id, a name that collides with a language's URL."""

from __future__ import annotations

from collections.abc import Sequence

from .document import Document
from .model import Finding, Page


def check_page(page: Page, doc: Document, languages: Sequence[str]) -> list[Finding]:
    findings = [Finding(page.uri, p.line, f"Doc file '{page.uri}' (line {p.line}) {p.message}.") for p in doc.problems]
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
