"""Cross-language structure checks of every page pair `zh/X.md` <-> `en/X.md`.

MkDocs' `validation:` already checks links and anchors inside one language; these checks
cover what it cannot see: a page, heading id, nav entry or link present in one language only,
and links that jump from one language tree into the other.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from .document import Document
from .model import Finding, Page


def pair_pages(pages: Iterable[Page], languages: Sequence[str]) -> tuple[dict[str, dict[str, Page]], list[Finding]]:
    """Group pages by name; report every page missing in a language."""
    by_name: dict[str, dict[str, Page]] = {}
    for page in pages:
        by_name.setdefault(page.name, {})[page.lang] = page
    findings = []
    for name, variants in sorted(by_name.items()):
        present = [lang for lang in languages if lang in variants]
        for lang in languages:
            if lang not in variants:
                findings.append(Finding(
                    f"{lang}/{name}", None,
                    f"Doc file '{lang}/{name}' is missing: its counterpart '{present[0]}/{name}' exists. "
                    f"Translate it, or remove both.",
                ))
    return by_name, findings


def check_nav(navs: dict[str, list[str]]) -> list[Finding]:
    """The navigations of all languages list the same pages in the same order."""
    findings = []
    (first, first_nav), *others = navs.items()
    for lang, nav in others:
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=first_nav, b=nav, autojunk=False).get_opcodes():
            if op in ("delete", "replace"):
                for name in first_nav[i1:i2]:
                    where = "is missing from" if name not in nav else "is at another position in"
                    findings.append(Finding(
                        "mkdocs.yml", None,
                        f"Nav entry '{name}' of language '{first}' {where} the nav of language '{lang}': "
                        f"give both navs the same pages in the same order.",
                    ))
            if op in ("insert", "replace"):
                for name in nav[j1:j2]:
                    if name not in first_nav:
                        findings.append(Finding(
                            "mkdocs.yml", None,
                            f"Nav entry '{name}' of language '{lang}' is missing from the nav of language '{first}'.",
                        ))
    return findings


def check_headings(a: Page, sa: Document, b: Page, sb: Document) -> list[Finding]:
    """Every heading has an explicit id; both pages have the same ids in the same order."""
    findings = []
    for page, scan in ((a, sa), (b, sb)):
        for h in scan.headings:
            if h.id is None:
                findings.append(Finding(
                    page.uri, h.line,
                    f"Doc file '{page.uri}' (line {h.line}) has a heading without an explicit id: "
                    f"add '{{ #some-id }}', the same in every language.",
                ))
    ids_a = [h for h in sa.headings if h.id]
    ids_b = [h for h in sb.headings if h.id]
    set_a, set_b = {h.id for h in ids_a}, {h.id for h in ids_b}
    for here, there, page, other in ((ids_a, set_b, b, a), (ids_b, set_a, a, b)):
        for h in here:
            if h.id not in there:
                findings.append(Finding(
                    page.uri, None,
                    f"Doc file '{page.uri}' has no heading id '#{h.id}', which its counterpart "
                    f"'{other.uri}' (line {h.line}) has.",
                ))
    common_a = [h for h in ids_a if h.id in set_b]
    common_b = [h for h in ids_b if h.id in set_a]
    for ha, hb in zip(common_a, common_b):
        if ha.id != hb.id:
            findings.append(Finding(
                b.uri, hb.line,
                f"Doc file '{b.uri}' (line {hb.line}) has heading id '#{hb.id}' where its counterpart "
                f"'{a.uri}' (line {ha.line}) has '#{ha.id}': put the headings in the same order.",
            ))
            break  # one reordering shifts every later heading: report the first
    for ha, hb in zip(common_a, common_b):
        if ha.id == hb.id and ha.level != hb.level:
            findings.append(Finding(
                b.uri, hb.line,
                f"Doc file '{b.uri}' (line {hb.line}) has heading '#{hb.id}' at level {hb.level}, "
                f"but its counterpart '{a.uri}' (line {ha.line}) has it at level {ha.level}.",
            ))
    return findings


def internal_target(page: Page, target: str) -> tuple[str, str] | None:
    """(page name inside the language tree, anchor) of a relative doc link, else None."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return None
    if not parts.path:
        return (page.name, parts.fragment)
    resolved = posixpath.normpath(posixpath.join(str(page.dir), parts.path))
    return (resolved, parts.fragment)


def check_cross_tree(page: Page, scan: Document, languages: Sequence[str], site_url: str = "") -> list[Finding]:
    """A page never links into another language's tree: the theme's switcher does that."""
    findings = []
    others = [lang for lang in languages if lang != page.lang]
    site_path = urlsplit(site_url).path.rstrip("/") if site_url else ""
    for link in scan.links:
        target = link.target
        parts = urlsplit(target)
        crosses = False
        if site_url and target.startswith(site_url.rstrip("/")):
            crosses = True  # a site URL never belongs in the source: it breaks forks and sub-paths
        elif parts.scheme or parts.netloc:
            continue
        elif target.startswith("/"):
            path = target[len(site_path):] if site_path and target.startswith(site_path + "/") else target
            crosses = path.lstrip("/").split("/", 1)[0] in others
        else:
            resolved = internal_target(page, target)
            crosses = resolved is not None and (resolved[0].startswith("../") or resolved[0] == "..")
        if crosses:
            findings.append(Finding(
                page.uri, link.line,
                f"Doc file '{page.uri}' (line {link.line}) contains a link '{target}' that leaves the "
                f"'{page.lang}' tree: link to the page in the same language; the language switcher "
                f"leads readers to the other one.",
            ))
    return findings


def link_keys(page: Page, scan: Document) -> dict[tuple[str, str], int]:
    """Internal link targets (page name, anchor) of a page, each with its first line."""
    keys: dict[tuple[str, str], int] = {}
    for link in scan.links:
        target = internal_target(page, link.target)
        if target is not None and not target[0].startswith(".."):
            keys.setdefault(target, link.line)
    return keys


def check_links(a: Page, sa: Document, b: Page, sb: Document) -> list[Finding]:
    """The internal links of a page equal its counterpart's (target page and anchor)."""
    findings = []
    keys_a, keys_b = link_keys(a, sa), link_keys(b, sb)
    for here, there, page, other in ((keys_a, keys_b, a, b), (keys_b, keys_a, b, a)):
        for (name, anchor), line in here.items():
            if (name, anchor) not in there:
                shown = name + (f"#{anchor}" if anchor else "")
                findings.append(Finding(
                    page.uri, line,
                    f"Doc file '{page.uri}' (line {line}) links to '{shown}', but its counterpart "
                    f"'{other.uri}' has no such link: add it there or remove it here.",
                ))
    return findings
