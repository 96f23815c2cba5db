"""MkDocs hook: the thin adapter between MkDocs events and the r1docs core.

It renders math and diagrams at build time, runs the cross-language checks once per
build, and puts right what static-i18n leaves mixed in the shared output (search, 404).
"""

from __future__ import annotations

import atexit
import copy
import gzip
import hashlib
import logging
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import markupsafe
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger

from r1docs import checks, glossary as glossary_mod, prerender, seo, site_output
from r1docs.markdown_scan import Scan
from r1docs.model import Page

import r1docs_serve

log = get_plugin_logger("r1docs")

# One Node renderer for the whole process: static-i18n runs a nested build per language,
# and the cache lets the second language reuse every formula the first one rendered.
_renderer: prerender.Renderer | None = None
_root = Path.cwd()
_default_404: bytes | None = None
_glossary: glossary_mod.Glossary | None = None
_pages: list[Page] = []


def _i18n(config):
    return config.plugins.get("i18n")


def _nested_pass(config) -> bool:
    """True inside static-i18n's nested build of a non-default language."""
    return bool(getattr(_i18n(config), "building", False))


# --- Serve ----------------------------------------------------------------------------------
def on_startup(*, command, dirty):
    """`mkdocs serve` keeps this module, the renderer and its caches for the whole session; add
    warm caches for what MkDocs and Material redo on every rebuild (hooks/r1docs_serve.py)."""
    if command == "serve":
        r1docs_serve.install()
        r1docs_serve.data_dirs[:] = [Path.cwd() / "data"]


# --- Data and checks ------------------------------------------------------------------------
_glossary_loaded: tuple[bytes, object] | None = None


def _load_glossary(path: Path):
    """The glossary and its problems; parsed again only when the file changed (serve)."""
    global _glossary_loaded
    data = path.read_bytes() if path.is_file() else b""
    if _glossary_loaded is None or _glossary_loaded[0] != data:
        _glossary_loaded = (data, glossary_mod.load(path, checks.GLOSSARY_FILE))
    return _glossary_loaded[1]


def _glossary_page(lang: str) -> str:
    """The generated glossary entries, cached on disk by their inputs (the glossary, its code and
    the pages they take titles from): the Chinese page's pinyin order needs pypinyin's
    dictionaries, and the titles a scan of every page, which cost more than the rest of it."""
    source = (_root / checks.GLOSSARY_FILE).read_bytes()
    code = Path(glossary_mod.__file__).read_bytes()
    texts = sorted((p.uri, p.text) for p in _pages if p.lang == lang)
    key = hashlib.sha256(repr((source, code, lang, texts)).encode()).hexdigest()[:20]
    cached = _cache_dir("glossary") / f"{lang}-{key}.md"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        text = glossary_mod.glossary_markdown(_glossary, lang, checks.page_titles(_pages, lang))
        partial = cached.with_suffix(".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(cached)
        return text


def on_config(config):
    """Load the glossary once per build (this event fires again in every language pass)."""
    global _glossary, _renderer, _root
    if _nested_pass(config):
        return
    _root = Path(config.config_file_path).resolve().parent
    _quiet_jieba()
    if _renderer is None or _renderer.root != _root:
        _renderer = prerender.Renderer(_root)
        atexit.register(_renderer.close)
    try:
        _glossary, problems = _load_glossary(_root / checks.GLOSSARY_FILE)
    except glossary_mod.GlossaryError as e:
        raise PluginError(str(e)) from None
    for problem in problems:
        log.warning(str(problem))


# --- A quiet build -------------------------------------------------------------------------
class _DropNavOverrides(logging.Filter):
    """static-i18n logs every per-language config override, the whole nav included, on every
    build: noise in a log that should stay silent when all is well."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or "Overriding '" not in record.getMessage()


# Through get_plugin_logger, so that the filter lands on the right logger under ProperDocs too.
get_plugin_logger("mkdocs_static_i18n.reconfigure").logger.addFilter(_DropNavOverrides())


def _quiet_jieba() -> None:
    """Material's search segments Chinese with jieba, which prints four lines of its own while it
    loads its dictionary and keeps the dictionary's cache in the machine-wide temp folder. Keep it
    quiet and its cache in the project's .cache/ (it loads before the first page is indexed)."""
    try:
        import jieba
    except ImportError:  # no Chinese segmentation: Material's search works without it
        return
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(_cache_dir("jieba"))


def on_files(files, *, config):
    """Check both languages together, once per build.

    At the default priority (above static-i18n's -100) the default pass still sees the raw
    files of every language ('zh/moe.md', 'en/moe.md'); the nested passes are skipped so
    each finding is reported once, not once per language.
    """
    global _pages
    if _nested_pass(config):
        return files
    i18n = _i18n(config)
    languages = [i18n.default_language, *(x for x in i18n.build_languages if x != i18n.default_language)]
    navs = {x.locale: checks.flatten_nav(x.nav) for x in i18n.config.languages if x.nav}
    _pages = [Page(f.src_uri, f.content_string) for f in files.documentation_pages() if "/" in f.src_uri]
    for finding in checks.check_site(_pages, languages, navs, _glossary, config.site_url or ""):
        log.warning(str(finding))
    return files


def on_env(env, *, config, files):
    """Cache compiled templates on disk: MkDocs makes a new Jinja environment for every build
    (every language pass, every `mkdocs serve` rebuild) and compiling Material's ~90
    templates again each time costs most of a second."""
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(_cache_dir("jinja")))
    return env


def _cache_dir(name: str) -> Path:
    path = _root / ".cache" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- Pages ----------------------------------------------------------------------------------
def on_page_markdown(markdown, *, page, config, files):
    """Link the first use of each glossary term (tooltip = definition); fill the glossary page."""
    if _glossary is None:
        return markdown
    lang = _i18n(config).current_language
    source = Page(f"{lang}/{page.file.src_uri.split('/', 1)[-1]}", markdown)
    if source.name == checks.GLOSSARY_PAGE:
        return markdown + "\n\n" + _glossary_page(lang)
    glossary_link = posixpath.relpath(checks.GLOSSARY_PAGE, str(source.dir) or ".")
    return glossary_mod.link_first_uses(_glossary, source, Scan(markdown), glossary_link)


def on_page_content(html, *, page, config, files):
    page.meta["katex"] = prerender.has_math(html)
    return prerender.exclude_sources_from_search(html)


def on_post_page(output, *, page, config):
    """Render math and diagrams in the finished page: after the search plugin has indexed it,
    so the index holds prose, not KaTeX's glyph spans and SVG (smaller, and much faster)."""
    _restore_language_roots(config)
    try:
        output, errors = prerender.prerender(output, _renderer)
    except prerender.RendererUnavailable as e:
        raise PluginError(str(e)) from None
    for error in errors:
        log.warning(f"Doc file '{page.file.src_uri}' has a {error}")
    return output


# Below static-i18n's 50, which points the language switcher at this page's counterpart (and
# the <head> alternates with it, root-relative). The counterpart links go to the switcher only
# (overrides/partials/alternate.html), root-relative so that MkDocs' `url` filter resolves them
# under a sub-path such as a GitHub project page. The <head> gets absolute hreflang alternates
# and an x-default, as search engines require (r1docs.seo). Material fetches
# `<alternate>/sitemap.xml` for each head link to keep readers on the same page; early.js never
# sends those requests. Material's share-card partial is overrides/partials/seo.html.
@event_priority(0)
def on_page_context(context, *, page, config, nav):
    i18n = _i18n(config)
    base = urlsplit(config.site_url or "/").path
    counterparts = []
    # static-i18n sets `extra.alternate` as an attribute, which is what Jinja reads first.
    for alternate in getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []:
        link = alternate.get("link", "")
        if link.startswith("/") and not link.startswith(base):
            link = link.lstrip("/") or "."
        counterparts.append({**alternate, "link": link})
    context["page_alternates"] = counterparts
    if i18n is None or not config.site_url:
        return context
    lang = i18n.current_language
    languages = [i18n.default_language, *(x for x in i18n.build_languages if x != i18n.default_language)]
    names = {alternate.get("lang"): alternate.get("name", "") for alternate in counterparts}
    urls = seo.page_urls(config.site_url, seo.neutral_path(page.url, lang, i18n.default_language), languages,
                         i18n.default_language)
    config.extra.alternate = [{"name": names.get(x, x), "link": url, "lang": x} for x, url in urls.items()]
    if not page.meta.get("description"):
        # Escaped here: Material writes page.meta.description into its <meta> unescaped.
        page.meta["description"] = markupsafe.escape(seo.description(page.content or "", config.site_description or ""))
    context["seo_card"] = seo.card(
        title=(page.meta.get("title") or (page.title if not page.is_homepage else "") or ""),
        description=page.meta["description"], url=page.canonical_url or urls[lang],
        site_name=config.site_name, lang=lang, languages=languages, is_homepage=page.is_homepage)
    return context


def _restore_language_roots(config) -> None:
    """Theme templates rendered after the pages (404) keep the language roots in their head."""
    roots = getattr(_i18n(config), "extra_alternate", None)
    if roots:
        config.extra.alternate = copy.deepcopy(roots)


# --- Output ---------------------------------------------------------------------------------
# Above static-i18n (-100): the default language is written and the other languages' passes,
# whose theme templates overwrite /404.html, have not started yet.
@event_priority(0)
def _keep_default_404(*, config):
    global _default_404
    if not _nested_pass(config):
        page = Path(config.site_dir) / "404.html"
        _default_404 = page.read_bytes() if page.exists() else None


# Below static-i18n (-100): called inside each nested pass (skipped) and once more when every
# language is written, the only moment the shared files can be put right.
@event_priority(-200)
def _finish_site(*, config):
    if _nested_pass(config):
        return
    site_dir = Path(config.site_dir)
    i18n = _i18n(config)
    if _renderer is not None:
        _renderer.save()
    try:
        characters = _renderer.math_characters() if _renderer is not None else ""
        site_output.install_katex_assets(_root / "node_modules" / "katex" / "dist", site_dir, characters, _root / ".cache")
        if i18n is not None:
            default = i18n.default_language
            others = [lang for lang in i18n.build_languages if lang != default]
            site_output.split_search_index(site_dir, default, others)
            if _default_404 is not None:
                site_output.restore_default_404(site_dir, _default_404, others[-1] if others else None)
            _write_search_engine_files(site_dir, config.site_url, default)
    except (OSError, ValueError, KeyError, ImportError) as e:
        raise PluginError(f"Error finishing the site output in '{site_dir}':\n{e}") from None


def _write_search_engine_files(site_dir: Path, site_url: str | None, default: str) -> None:
    """static-i18n's sitemap lists both languages with their alternates; add the x-default,
    and a robots.txt that points to the sitemap."""
    sitemap = site_dir / "sitemap.xml"
    if not site_url or not sitemap.exists():
        return
    text = seo.add_x_default(sitemap.read_text(encoding="utf-8"), default)
    sitemap.write_text(text, encoding="utf-8")
    with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
        packed.write(text.encode("utf-8"))
    (site_dir / "robots.txt").write_text(seo.robots_txt(site_url), encoding="utf-8")


on_post_build = CombinedEvent(_keep_default_404, _finish_site)
