"""Every cross-language check in one call: pages and glossary in, findings out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from . import claims_coverage, document, drift, figures, glossary as glossary_mod, parity, structure, sync
from .glossary import Glossary
from .document import Document
from .model import Finding, Page, not_utf8
from .settings import Settings

GLOSSARY_FILE = "data/glossary.yml"
GLOSSARY_PAGE = "glossary.md"


def check_site(
    pages: Iterable[Page],
    languages: Sequence[str],
    navs: dict[str, list[str]] | None = None,
    glossary: Glossary | None = None,
    site_url: str = "",
    *,
    settings: Settings | None = None,
    record: sync.Record | None = None,
    cache_dir: Path | None = None,
    root: Path | None = None,
) -> list[Finding]:
    """All findings for a multilingual docs tree (default language first), sorted by file and line.

    `navs` maps each language to its nav's pages (a language without one is left out);
    `record` is the sync record, when the project has one; `root` is the project folder (the
    claims coverage list is read from it; default: the working directory)."""
    with document.paused_gc():
        return _check_site(list(pages), languages, navs, glossary, site_url, settings, record, cache_dir, root)


def _check_site(pages: list[Page], languages: Sequence[str], navs: dict[str, list[str]] | None, glossary: Glossary | None,
                site_url: str, settings: Settings | None, record: sync.Record | None, cache_dir: Path | None,
                root: Path | None) -> list[Finding]:
    settings = settings or Settings()
    pages = list(pages)
    findings: list[Finding] = []
    found = {p.lang for p in pages}
    for lang in languages[1:]:
        if lang not in found:
            findings.append(Finding("mkdocs.yml", None,
                f"Language '{lang}' is configured, but the docs have no folder '{lang}/' with pages: "
                f"add its pages there, or remove the language."))
    languages = [lang for lang in languages if lang in found or lang == languages[0]]
    pages = [p for p in pages if p.lang in languages and not settings.excluded(p.name)]
    docs = document.parse_all({p.uri: p.text for p in pages}, cache_dir)
    broken = set()
    for page in pages:
        problems = structure.check_page(page, docs[page.uri], languages)
        if glossary is not None and page.name == GLOSSARY_PAGE:
            problems += structure.check_glossary_anchors(page, docs[page.uri], glossary)
        if any(structure.unreadable(f) for f in problems):
            broken.add(page.uri)  # the rest of the page is unreadable: no knock-on findings
        findings += problems
    pairs, missing = parity.pair_pages(pages, languages)
    if settings.missing_pages:
        findings += missing
    if navs is not None:
        if settings.nav_required:
            findings += [Finding("mkdocs.yml", None,
                f"Language '{lang}' has no nav: give it its own 'nav:' under 'plugins: i18n: languages:' "
                f"(MkDocs would otherwise list its pages alphabetically).") for lang in languages if lang not in navs]
        present = {lang: nav for lang, nav in navs.items() if lang in languages}
        if len(present) > 1:
            findings += parity.check_nav(dict(sorted(present.items(), key=lambda x: languages.index(x[0]))))
    for page in pages:
        if page.uri not in broken:
            findings += parity.check_cross_tree(page, docs[page.uri], languages, site_url,
                                                strict=not settings.cross_tree_links)

    resolvers = {lang: _resolver(lang, docs) for lang in languages}
    used: set[str] = set()
    # A pair with an unreadable page: its terms count as used (no knock-on "used by no page"), but
    # their parity is not compared.
    unpaired = {name for name, variants in pairs.items() if any(p.uri in broken for p in variants.values())}
    if glossary is not None:
        used.update(*(glossary_mod.uses(glossary, p, docs[p.uri]) for p in pages
                      if p.name in unpaired and p.lang in _glossary_languages(languages)))
    default = languages[0]
    for name, variants in sorted(pairs.items()):
        if default not in variants or variants[default].uri in broken:
            continue
        a, da = variants[default], docs[variants[default].uri]
        for lang in languages[1:]:
            if lang not in variants or variants[lang].uri in broken:
                continue
            b, db = variants[lang], docs[variants[lang].uri]
            findings += parity.check_headings(a, da, b, db, explicit_ids=settings.explicit_ids)
            findings += parity.check_links(a, da, b, db, resolvers[default], resolvers[lang])
            if settings.figures and figures.knows(a.lang) and figures.knows(b.lang):
                findings += figures.check_figures(a, da, b, db)
            if settings.code:
                findings += drift.check_code(a, da, b, db)
                findings += drift.check_diagrams(a, da, b, db)
            sections = parity.align_sections(da, db)
            if settings.untranslated:
                findings += drift.check_untranslated(a, da, b, db, sections)
            if settings.code:
                findings += drift.check_section_content(a, da, b, db, sections)
        if glossary is not None and name != GLOSSARY_PAGE and name not in unpaired and \
                all(lang in variants for lang in _glossary_languages(languages)):
            glossary_langs = _glossary_languages(languages)
            term_uses = {lang: glossary_mod.uses(glossary, variants[lang], docs[variants[lang].uri]) for lang in glossary_langs}
            for lang in glossary_langs:
                used.update(term_uses[lang])
                findings += glossary_mod.check_avoided(glossary, variants[lang], docs[variants[lang].uri])
            for lang in glossary_langs[1:]:
                findings += glossary_mod.check_term_parity(variants[glossary_langs[0]], term_uses[glossary_langs[0]],
                                                           variants[lang], term_uses[lang], glossary)

    if glossary is not None:
        glossary_langs = _glossary_languages(languages)
        headings = {p.uri: {h.id for h in docs[p.uri].headings if h.id} for p in pages if p.lang in glossary_langs}
        # A page missing in a language is its own finding: not one more per entry pointing at it.
        findings += glossary_mod.check_targets(glossary, headings, glossary_langs,
                                               unreadable=broken | {f.file for f in missing})
        findings += glossary_mod.check_unused(glossary, used)
    findings += [f for f in sync.check(record, pairs, docs, languages) if f.file not in broken]
    findings += claims_coverage.check_project((root or Path.cwd()) / claims_coverage.LIST_FILE, pages, languages)
    return sorted(set(findings), key=lambda f: (f.file, f.line or 0, f.message))


def _glossary_languages(languages: Sequence[str]) -> list[str]:
    """The languages the glossary has terms for (the others are not checked against it)."""
    known = getattr(glossary_mod, "LANGUAGES", ("zh", "en"))
    return [lang for lang in languages if lang in known]


def _resolver(lang: str, docs: dict[str, Document]):
    """(page name, anchor) -> the anchor's key in any language: its id, else its heading's position."""
    cache: dict[str, dict[str, str]] = {}

    def resolve(name: str, anchor: str) -> str:
        if name not in cache:
            doc = docs.get(f"{lang}/{name}")
            keys: dict[str, str] = {}
            if doc is not None:
                by_heading = {id(s.heading): s.key for s in doc.sections if s.heading}
                for slug, heading in doc.anchors().items():
                    key = by_heading.get(id(heading), slug)
                    keys[slug] = key[1:] if key.startswith("#") else key
            cache[name] = keys
        return cache[name].get(anchor, anchor)

    return resolve


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


class _FastTolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same on libyaml, when PyYAML has it: a nav of 2,000 pages reads in 10 ms, not 100."""


for _loader in (_TolerantLoader, _FastTolerantLoader):
    _loader.add_multi_constructor("", lambda loader, suffix, node: None)
    _loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


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


class ProjectError(Exception):
    """The project cannot be read as a static-i18n folder tree (one line, naming the file)."""


def read_config(config_file: Path) -> dict:
    """mkdocs.yml as data, its `!ENV` and `!!python/name:` tags left unresolved."""
    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProjectError(f"Config file '{config_file}' does not exist: run the checker in a project root, "
                           f"or name one (python -m r1docs ROOT).") from None
    except UnicodeDecodeError as e:
        raise ProjectError(f"Config file '{config_file}' is not UTF-8 (byte {e.start}): save it as UTF-8.") from None
    try:
        try:
            config = yaml.load(text, Loader=_FastTolerantLoader) or {}
        except yaml.YAMLError:  # read again by the pure-Python loader, whose messages the errors quote
            config = yaml.load(text, Loader=_TolerantLoader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e).split("\n")[0]
        raise ProjectError(f"Config file '{config_file}'{where} is not valid YAML: {problem}.") from None
    if not isinstance(config, dict):
        raise ProjectError(f"Config file '{config_file}' is not a mapping of settings.")
    return config


def _i18n_plugin(config: dict) -> dict | None:
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        return plugins.get("i18n") if "i18n" in plugins else None
    for plugin in plugins:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"] or {}
        if plugin == "i18n":
            return {}
    return None


def i18n_languages(config: dict) -> list[dict]:
    """The static-i18n language entries of a config, the default language first.

    Reads the current shape (a list of `locale:` entries) and the old one (a mapping of
    language code to settings, with `default_language:`)."""
    i18n = _i18n_plugin(config) or {}
    languages = i18n.get("languages") or []
    if isinstance(languages, dict):  # static-i18n 0.x
        default = i18n.get("default_language")
        entries = [{**(v if isinstance(v, dict) else {"name": v}), "locale": k} for k, v in languages.items()]
        if default and all(e["locale"] != default for e in entries):
            entries.insert(0, {"locale": default})
        for entry in entries:
            entry["default"] = entry["locale"] == default
    else:
        entries = [x for x in languages if isinstance(x, dict) and x.get("locale")]
    return sorted(entries, key=lambda x: not x.get("default"))


def read_project(root: Path) -> tuple[list[Page], list[str], dict[str, list[str]], str]:
    """Pages, languages (default first), navs and site URL of the project at `root`."""
    project = read_project_full(root)
    return project.pages, project.languages, project.navs, project.site_url


class Project:
    """A static-i18n folder tree as the checker sees it."""

    def __init__(self, root: Path, config: dict, docs_dir: Path, pages: list[Page], languages: list[str],
                 navs: dict[str, list[str]], settings: Settings) -> None:
        self.root, self.config, self.docs_dir = root, config, docs_dir
        self.pages, self.languages, self.navs, self.settings = pages, languages, navs, settings
        self.site_url = str(config.get("site_url") or "")
        self.findings: list[Finding] = []  # problems of the configuration itself


def read_project_full(root: Path) -> Project:
    config_file = root / "mkdocs.yml"
    config = read_config(config_file)
    docs = root / str(config.get("docs_dir") or "docs")
    i18n = _i18n_plugin(config)
    if i18n is None:
        raise ProjectError(f"Config file '{config_file}' has no i18n plugin: the checker compares the languages of a "
                           f"site built with mkdocs-static-i18n in its folder layout (docs/<language>/); add it under 'plugins:'.")
    if str(i18n.get("docs_structure", "folder")) != "folder":
        raise ProjectError(f"Config file '{config_file}': static-i18n's 'docs_structure: {i18n.get('docs_structure')}' "
                           f"is not supported; the checker reads the folder layout (docs/<language>/).")
    entries = i18n_languages(config)
    if not entries:
        raise ProjectError(f"Config file '{config_file}': the i18n plugin lists no languages: add them under "
                           f"'plugins: i18n: languages:'.")
    languages = [str(x["locale"]) for x in entries]
    if not (docs / languages[0]).is_dir():
        raise ProjectError(f"Docs folder '{docs / languages[0]}' of the default language '{languages[0]}' does not "
                           f"exist: the checker reads the folder layout (docs/<language>/).")
    top_nav = config.get("nav")
    navs = {}
    for x in entries:
        nav = x.get("nav") or top_nav
        if nav:
            navs[x["locale"]] = flatten_nav(nav)
    pages = []
    for lang in languages:
        for path in sorted((docs / lang).rglob("*.md")):
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as e:
                raise ProjectError(not_utf8("Doc file", path.relative_to(docs).as_posix(), path.read_bytes(), e)) from None
            pages.append(Page(path.relative_to(docs).as_posix(), text))
    project = Project(root, config, docs, pages, languages, navs, Settings.from_config(config, str(config_file)))
    if top_nav:
        project.findings = parity.check_nav_translations(
            top_nav, {str(x["locale"]): x["nav_translations"] for x in entries if not x.get("nav") and x.get("nav_translations")})
    return project
