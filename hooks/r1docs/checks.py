"""Every cross-language check in one call: pages and glossary in, findings out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from . import figures, glossary as glossary_mod, parity
from .glossary import Glossary
from .document import Document
from .model import Finding, Page

GLOSSARY_FILE = "data/glossary.yml"
GLOSSARY_PAGE = "glossary.md"


def check_site(
    pages: Iterable[Page],
    languages: Sequence[str],
    navs: dict[str, list[str]] | None = None,
    glossary: Glossary | None = None,
    site_url: str = "",
) -> list[Finding]:
    """All findings for a bilingual docs tree, sorted by file and line."""
    pages = [p for p in pages if p.lang in languages]
    scans = {p.uri: Document(p.text) for p in pages}
    pairs, findings = parity.pair_pages(pages, languages)
    if navs:
        findings += parity.check_nav(navs)
    for page in pages:
        findings += parity.check_cross_tree(page, scans[page.uri], languages, site_url)

    used: set[str] = set()
    for name, variants in sorted(pairs.items()):
        if len(variants) < len(languages):
            continue
        first, *rest = (variants[lang] for lang in languages)
        for other in rest:
            a, b, sa, sb = first, other, scans[first.uri], scans[other.uri]
            findings += parity.check_headings(a, sa, b, sb)
            findings += parity.check_links(a, sa, b, sb)
            findings += figures.check_figures(a, sa, b, sb)
        if glossary is not None and name != GLOSSARY_PAGE:
            term_uses = {lang: glossary_mod.uses(glossary, variants[lang], scans[variants[lang].uri]) for lang in languages}
            for lang in languages:
                used.update(term_uses[lang])
                findings += glossary_mod.check_avoided(glossary, variants[lang], scans[variants[lang].uri])
            for other in rest:
                findings += glossary_mod.check_term_parity(first, term_uses[first.lang], other, term_uses[other.lang], glossary)

    if glossary is not None:
        headings = {p.uri: {h.id for h in scans[p.uri].headings if h.id} for p in pages}
        findings += glossary_mod.check_targets(glossary, headings, languages)
        findings += glossary_mod.check_unused(glossary, used)
    return sorted(set(findings), key=lambda f: (f.file, f.line or 0, f.message))


def page_titles(pages: Iterable[Page], lang: str) -> dict[str, str]:
    """'moe.md' -> the page's H1 in `lang` (used for the glossary's 'explained in' links)."""
    titles = {}
    for page in pages:
        if page.lang == lang:
            h1 = next((h for h in Document(page.text).headings if h.level == 1), None)
            titles[page.name] = h1.title if h1 else page.name
    return titles


# --- Reading a project from disk (the command line; the hook gets these from MkDocs) ----------
class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!ENV` and `!!python/name:` tags."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_entries(nav, title: str | None = None) -> list[tuple[str | None, str]]:
    """(title, page path) of every page of a nav tree, in reading order."""
    if isinstance(nav, str):
        return [(title, nav)] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [entry for key, value in nav.items() for entry in nav_entries(value, key)]
    if isinstance(nav, list):
        return [entry for item in nav for entry in nav_entries(item)]
    return []


def flatten_nav(nav) -> list[str]:
    """Page paths of a nav tree, in reading order."""
    return [path for _, path in nav_entries(nav)]


def read_config(config_file: Path) -> dict:
    """mkdocs.yml as data, its `!ENV` and `!!python/name:` tags left unresolved."""
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}


def i18n_languages(config: dict) -> list[dict]:
    """The static-i18n language entries of a config, the default language first."""
    i18n = next((p["i18n"] for p in config.get("plugins", []) if isinstance(p, dict) and "i18n" in p), {})
    return sorted(i18n.get("languages", []), key=lambda x: not x.get("default"))


def read_project(root: Path) -> tuple[list[Page], list[str], dict[str, list[str]], str]:
    """Pages, languages (default first), navs and site URL of the project at `root`."""
    config = read_config(root / "mkdocs.yml")
    docs = root / config.get("docs_dir", "docs")
    entries = i18n_languages(config)
    languages = [x["locale"] for x in entries]
    navs = {x["locale"]: flatten_nav(x["nav"]) for x in entries if x.get("nav")}
    pages = [
        Page(path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8"))
        for lang in languages for path in sorted((docs / lang).rglob("*.md"))
    ]
    return pages, languages, navs, config.get("site_url") or ""
