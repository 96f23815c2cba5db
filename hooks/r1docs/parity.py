"""Cross-language structure checks of every page pair `zh/X.md` <-> `en/X.md`.

MkDocs' `validation:` already checks links and anchors inside one language; these checks
cover what it cannot see: a page, heading id, nav entry or link present in one language only,
and links that jump from one language tree into the other.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from .document import Document
from .document import Section
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


def check_headings(a: Page, sa: Document, b: Page, sb: Document, explicit_ids: bool = True) -> list[Finding]:
    """Headings match: by explicit id (same ids, same order, same levels) where pages have them,
    else by position and level. With `explicit_ids` every heading must have one."""
    findings = []
    if explicit_ids:
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
    if not explicit_ids:
        findings += _check_unnamed_headings(a, sa, b, sb)
    return findings


def _heading_tokens(doc: Document) -> list[str]:
    return [f"#{h.id}" if h.id else f"h{h.level}" for h in doc.headings]


def _check_unnamed_headings(a: Page, sa: Document, b: Page, sb: Document) -> list[Finding]:
    """Headings without ids, compared by position and level: a section in one language only."""
    findings = []
    ta, tb = _heading_tokens(sa), _heading_tokens(sb)
    if ta == tb:
        return findings  # the same headings: nothing to align
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            continue  # same number of headings, other levels or ids: reported by id above
        for here, there, page, other, lo, hi in ((sa, sb, a, b, i1, i2), (sb, sa, b, a, j1, j2)):
            for h in here.headings[lo:hi]:
                if h.id is None:
                    findings.append(Finding(
                        other.uri, None,
                        f"Doc file '{other.uri}' has no heading matching '{'#' * h.level} {h.title}' of its "
                        f"counterpart '{page.uri}' (line {h.line}): translate that section, or remove it there.",
                    ))
    return findings


def align_sections(sa: Document, sb: Document) -> list[tuple[Section, Section]]:
    """Sections of two pages that correspond: the page tops, sections with the same explicit
    id, and sections without ids by position, but only when both pages have the same
    sequence of headings (otherwise a position says nothing about content)."""
    ta, tb = _heading_tokens(sa), _heading_tokens(sb)
    pairs = [(sa.sections[0], sb.sections[0])]
    if ta == tb:
        return pairs + list(zip(sa.sections[1:], sb.sections[1:]))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).get_opcodes():
        if op == "equal":
            pairs += [(sa.sections[i + 1], sb.sections[j + 1]) for i, j in zip(range(i1, i2), range(j1, j2))
                      if ta[i].startswith("#")]
    return pairs


def internal_target(page: Page, target: str) -> tuple[str, str] | None:
    """(page name inside the language tree, anchor) of a relative doc link, else None."""
    return _internal_target(page.name, target)


@functools.lru_cache(maxsize=65536)
def _internal_target(name: str, target: str) -> tuple[str, str] | None:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return None
    if not parts.path:
        return (name, parts.fragment)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name) or ".", parts.path))
    return (resolved, parts.fragment)


def check_cross_tree(page: Page, scan: Document, languages: Sequence[str], site_url: str = "",
                     strict: bool = True) -> list[Finding]:
    """A page never links into another language's tree: the theme's switcher does that.

    `strict` (this site): no relative link leaves the tree at all, and no link spells out the
    site URL. Otherwise a link is judged by where it lands: shared files outside the language
    folders and the site's own URLs in the same language are fine."""
    findings = []
    others = [lang for lang in languages if lang != page.lang]
    site = site_url.rstrip("/")
    site_path = urlsplit(site_url).path.rstrip("/") if site_url else ""
    for link in scan.links:
        target = link.target
        parts = urlsplit(target)
        crosses = False
        if site and (target == site or target.startswith(site + "/")):
            path = target[len(site):]
            crosses = strict or path.lstrip("/").split("/", 1)[0] in others
        elif parts.scheme or parts.netloc:
            continue
        elif target.startswith("/"):
            path = target[len(site_path):] if site_path and target.startswith(site_path + "/") else target
            crosses = path.lstrip("/").split("/", 1)[0] in others
        else:
            resolved = internal_target(page, target)
            if resolved is not None and (resolved[0].startswith("../") or resolved[0] == ".."):
                landing = resolved[0][3:].split("/", 1)[0] if resolved[0].startswith("../") else ""
                crosses = strict or landing in others
        if crosses:
            findings.append(Finding(
                page.uri, link.line,
                f"Doc file '{page.uri}' (line {link.line}) contains a link '{target}' that leaves the "
                f"'{page.lang}' tree: link to the page in the same language; the language switcher "
                f"leads readers to the other one.",
            ))
    return findings


Resolver = Callable[[str, str], str]  # (page name, anchor) -> the anchor's language-neutral key


def link_keys(page: Page, scan: Document, resolve: Resolver | None = None,
              lines: tuple[int, int] | None = None) -> dict[tuple[str, str], list[int]]:
    """Internal doc links (page name, anchor key) of a page or of a line range, with their lines."""
    return _group(_link_lines(page, scan, resolve), *(lines or ()))


def _link_lines(page: Page, scan: Document, resolve: Resolver | None) -> list[tuple[int, tuple[str, str]]]:
    """(line, (page name, anchor key)) of every internal doc link, in order."""
    out = []
    for link in scan.links:
        if link.image:
            continue
        target = _internal_target(page.name, link.target)
        if target is None or target[0].startswith(".."):
            continue
        name, anchor = target
        if not (name.endswith(".md") or name.endswith("/") or name == page.name):
            continue  # a file, not a page
        if resolve is not None and anchor:
            anchor = resolve(name, anchor)
        out.append((link.line, (name, anchor)))
    return out


def _group(items, start: int | None = None, end: int | None = None) -> dict[tuple[str, str], list[int]]:
    """{key: lines} of (line, key) items, of those from line `start` to `end` if given."""
    keys: dict[tuple[str, str], list[int]] = {}
    for line, key in items:
        if start is None or start <= line <= end:
            keys.setdefault(key, []).append(line)
    return keys


def _by_section(doc: Document, items) -> dict[int, dict[tuple[str, str], list[int]]]:
    """id(section) -> `_group` of the items inside it, for every section of the page, in one pass
    (the sections cover the page, one after the other)."""
    sections = doc.sections
    starts = [s.start for s in sections]
    out: dict[int, dict[tuple[str, str], list[int]]] = {id(s): {} for s in sections}
    for line, key in items:
        index = bisect_right(starts, line) - 1
        if index >= 0 and sections[index].start <= line <= sections[index].end:
            out[id(sections[index])].setdefault(key, []).append(line)
    return out


def _shown(name: str, anchor: str) -> str:
    return name + (f"#{anchor}" if anchor and not anchor.startswith("§") else "")


def check_links(a: Page, sa: Document, b: Page, sb: Document,
                resolve_a: Resolver | None = None, resolve_b: Resolver | None = None) -> list[Finding]:
    """The internal links of a page equal its counterpart's (target page and anchor), and each
    pair of sections links to the same targets the same number of times."""
    findings = []
    lines_a, lines_b = _link_lines(a, sa, resolve_a), _link_lines(b, sb, resolve_b)
    keys_a, keys_b = _group(lines_a), _group(lines_b)
    for here, there, page, other in ((keys_a, keys_b, a, b), (keys_b, keys_a, b, a)):
        for (name, anchor), lines in here.items():
            if (name, anchor) not in there:
                findings.append(Finding(
                    page.uri, lines[0],
                    f"Doc file '{page.uri}' (line {lines[0]}) links to '{_shown(name, anchor)}', but its counterpart "
                    f"'{other.uri}' has no such link: add it there or remove it here.",
                ))
    by_section_a, by_section_b = _by_section(sa, lines_a), _by_section(sb, lines_b)
    for xa, xb in align_sections(sa, sb):
        ca = by_section_a[id(xa)] if id(xa) in by_section_a else _group(lines_a, xa.start, xa.end)
        cb = by_section_b[id(xb)] if id(xb) in by_section_b else _group(lines_b, xb.start, xb.end)
        for key in sorted(set(ca) & set(keys_b) | set(cb) & set(keys_a)):
            na, nb = len(ca.get(key, [])), len(cb.get(key, []))
            if na == nb:
                continue
            where, line, other, other_line, n, m = (
                (b, (cb.get(key) or [xb.start])[0], a, xa.start, nb, na) if nb > na else
                (a, (ca.get(key) or [xa.start])[0], b, xb.start, na, nb))
            section = xb.key if where is b else xa.key
            findings.append(Finding(
                where.uri, line,
                f"Doc file '{where.uri}' (line {line}): section '{section or 'page top'}' links to "
                f"'{_shown(*key)}' {n} time(s), its counterpart in '{other.uri}' (line {other_line}) {m} time(s): "
                f"link (cite) the same targets in both languages.",
            ))
    return findings


def nav_titles(nav) -> set[str]:
    """Every title of a nav tree: sections and pages."""
    if isinstance(nav, dict):
        return {str(k) for k in nav} | {t for v in nav.values() for t in nav_titles(v)}
    if isinstance(nav, list):
        return {t for item in nav for t in nav_titles(item)}
    return set()


def check_nav_translations(nav, translations: dict[str, dict]) -> list[Finding]:
    """static-i18n's `nav_translations` of each language name titles the shared nav has."""
    titles = nav_titles(nav)
    return [
        Finding("mkdocs.yml", None,
                f"Language '{lang}' translates the nav title '{title}' (nav_translations), which the nav does not "
                f"have: correct the title, or remove that translation.")
        for lang, mapping in translations.items() if isinstance(mapping, dict)
        for title in mapping if str(title) not in titles
    ]
