"""MkDocs hook: the thin adapter between MkDocs events and the r1docs core.

It renders math and diagrams at build time, runs the cross-language checks once per
build, and puts right what static-i18n leaves mixed in the shared output (search, 404).
"""

from __future__ import annotations

import atexit
import copy
import gzip
import logging
import os
import posixpath
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import markupsafe
from mkdocs.exceptions import Abort, PluginError
from mkdocs.utils import get_relative_url
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.utils import CountHandler

from r1docs import chart, checks, document, glossary as glossary_mod, material, pending, prerender, seo, site_output, structure, sync, tooltips, typeset
from r1docs.model import Page, not_utf8
from r1docs.settings import Settings

import r1docs_serve

log = get_plugin_logger("r1docs")

# One Node renderer for the whole process: static-i18n runs a nested build per language,
# and the cache lets the second language reuse every formula the first one rendered.
_renderer: prerender.Renderer | None = None
_root = Path.cwd()
_default_404: bytes | None = None
_glossary: glossary_mod.Glossary | None = None
_warnings: CountHandler | None = None
_pages: list[Page] = []
# The glossary tooltips: a Markdown extension, given the page it converts by on_page_markdown.
_tooltips = tooltips.TooltipsExtension()


def _i18n(config):
    return config.plugins.get("i18n")


def _nested_pass(config) -> bool:
    """True inside static-i18n's nested build of a non-default language."""
    return bool(getattr(_i18n(config), "building", False))


def _languages(config) -> list[str]:
    """The site's languages, the default first (the glossary's two without the i18n plugin). A
    language without a docs folder is left out: its own finding says so, once."""
    i18n = _i18n(config)
    entries = list(getattr(getattr(i18n, "config", None), "languages", None) or [])
    if not entries:
        return list(glossary_mod.LANGUAGES)
    ordered = [x.locale for x in sorted(entries, key=lambda x: not x.default)]
    return [lang for number, lang in enumerate(ordered) if number == 0 or (Path(config.docs_dir) / lang).is_dir()]


# --- Serve ----------------------------------------------------------------------------------
def on_startup(*, command, dirty):
    """`mkdocs serve` keeps this module, the renderer and its caches for the whole session; add
    warm caches for what MkDocs and Material redo on every rebuild (hooks/r1docs_serve.py)."""
    if command == "serve":
        r1docs_serve.install()
        r1docs_serve.data_dirs[:] = [Path.cwd() / "data"]
        r1docs_serve.page_inputs = _tooltip_inputs


def _tooltip_inputs() -> tuple:
    """What the tooltip extension reads besides the page's Markdown and the glossary file: the
    language and, on the glossary page, the other pages' titles."""
    page = _tooltips.page
    return () if page is None else (page.lang, page.glossary_link, page.is_glossary_page, tuple(sorted(page.titles.items())))


def on_serve(server, *, config, builder):
    """Notice an edit sooner: MkDocs' file watcher polls every 0.5 s (no setting for it), a quarter
    of a second of waiting on average before a rebuild even starts. Polling the few watched
    folders ten times a second costs a few milliseconds of CPU per second."""
    r1docs_serve.poll_faster(server)
    return server


# --- Data and checks ------------------------------------------------------------------------
_glossary_loaded: tuple[tuple, object] | None = None


def _load_glossary(path: Path, shown: str, languages: list[str]):
    """The glossary and its problems; parsed again only when the file or the languages changed (serve),
    and read from the disk cache when an earlier build saw the same file."""
    global _glossary_loaded
    try:
        data = path.read_bytes()
    except OSError:
        data = None  # glossary_mod.load names the problem
    key = (data, shown, tuple(languages))
    if data is None or _glossary_loaded is None or _glossary_loaded[0] != key:
        _glossary_loaded = (key, glossary_mod.load_cached(path, shown, languages, _cache_dir("glossary")))
    return _glossary_loaded[1]


def on_config(config):
    """Load the glossary once per build (this event fires again in every language pass)."""
    global _glossary, _renderer, _root, _warnings
    # Registered here, not in mkdocs.yml: MkDocs validates `markdown_extensions` before it loads
    # hooks, so hooks/ is not importable yet. on_config runs again in every language pass and
    # `mkdocs serve` rebuild, on the same list: keep exactly this one instance in it.
    config.markdown_extensions[:] = [x for x in config.markdown_extensions if not isinstance(x, tooltips.TooltipsExtension)]
    config.markdown_extensions.append(_tooltips)
    if not any(isinstance(x, pending.PendingNoticeExtension) for x in config.markdown_extensions):
        config.markdown_extensions.append(pending.PendingNoticeExtension())
    if _nested_pass(config):
        return
    _root = Path(config.config_file_path).resolve().parent
    # Count every pass's warnings: MkDocs counts per build() call, and static-i18n's nested
    # pass aborts with its own count only (see on_build_error).
    if _warnings is not None:
        logging.getLogger("mkdocs").removeHandler(_warnings)
    _warnings = CountHandler()
    _warnings.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(_warnings)
    # Reproducible output: MkDocs dates the build from SOURCE_DATE_EPOCH, else from the clock.
    if "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = _commit_time(_root)
    _quiet_jieba()
    if _renderer is None or _renderer.root != _root:
        _renderer = prerender.Renderer(_root)
        atexit.register(_renderer.close)
    _renderer.begin_build()
    try:
        # Optional: a site without a glossary builds without tooltips; one the settings name must exist.
        located = glossary_mod.locate(_root, Settings.from_config(config).glossary)
        _glossary, problems = _load_glossary(*located, _languages(config)) if located else (None, [])
    except (glossary_mod.GlossaryError, ValueError) as e:
        raise PluginError(str(e)) from None
    _knock_on.glossary_anchors = {x.id for x in _glossary.dropped if x.id} if _glossary else set()
    for problem in problems:
        log.warning(str(problem))


def _commit_time(root: Path) -> str:
    """The last commit's time (what `make` exports), or 0 outside a git checkout."""
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return out if out.isdigit() else "0"


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
    # CRITICAL, not WARNING: a cache it cannot write (another build just deleted .cache/) is logged
    # as an error with a traceback, yet costs nothing but the next build's 1 s of loading.
    jieba.setLogLevel(logging.CRITICAL)
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
    if i18n is None:
        raise PluginError("Config file 'mkdocs.yml' has no i18n plugin: this site needs mkdocs-static-i18n "
                          "(folder layout, docs/zh/ and docs/en/) under 'plugins:'.")
    languages = [i18n.default_language, *(x for x in i18n.build_languages if x != i18n.default_language)]
    # The top-level nav as written: static-i18n has already put the default language's nav in its place.
    top_nav = (getattr(i18n, "original_configs", None) or {}).get("nav", config.nav)
    navs = {x.locale: checks.flatten_nav(x.nav or top_nav) for x in i18n.config.languages if x.nav or top_nav}
    _pages = [Page(f.src_uri, _read_page(f)) for f in files.documentation_pages() if "/" in f.src_uri]
    try:
        settings = Settings.from_config(config)
        record = sync.read_record(sync.record_path(Path(config.docs_dir)))
    except ValueError as e:
        raise PluginError(str(e).replace(f"{_root}{os.sep}", "")) from None  # the file as the project names it
    findings = checks.check_site(_pages, languages, navs, _glossary, config.site_url or "",
                                 settings=settings, record=record, cache_dir=_root / ".cache", root=_root)
    _knock_on.unreadable = {f.file for f in findings if structure.unreadable(f)}
    _knock_on.unparsable = {f.file for f in findings if structure.unparsable(f)}
    _knock_on.missing = {f.file for f in findings if f.message.startswith(f"Doc file '{f.file}' is missing: its counterpart ")}
    for finding in findings:
        log.warning(str(finding))
    _views.clear()
    _views["texts"] = {p.uri: p.text for p in _pages if p.lang in languages and not settings.excluded(p.name)}
    return files


# The parsed views of this build's pages, as the checks left them in their cache (for the titles).
_views: dict = {}


def _page_titles(lang: str) -> dict[str, str]:
    """'moe.md' -> the H1 of each page in `lang`, for the glossary page's 'explained in' links:
    read from the parsed views the checks have just cached (parsing every page again costs ~1 s)."""
    if "docs" not in _views:
        # The same pages the checks parsed, so the cache is read, not rewritten.
        _views["docs"] = document.parse_all(_views.get("texts", {}), _root / ".cache")
    titles = {}
    for page in _pages:
        if page.lang == lang:
            doc = _views["docs"].get(page.uri) or document.Document(page.text)
            h1 = next((h for h in doc.headings if h.level == 1), None)
            titles[page.name] = h1.title if h1 else page.name
    return titles


class _DropKnockOn(logging.Filter):
    """MkDocs' link warnings from or into a page the checks found unreadable (an unclosed fence or
    `$$`): the one finding naming the opener's line says it all; the anchors it swallowed would add
    a warning per link (20-81 of them on this site's pages)."""

    LINK = re.compile(r"Doc file '(?P<source>[^']+)' contains an? (?:[a-z ]+ )?link(?: to)?(?:.*?, but (?:the doc "
                      r"'(?P<target>[^']+)' does not contain an anchor '#(?P<anchor>[^']*)'|the target '(?P<gone>[^']+)' "
                      r"is not found among documentation files))?")

    def __init__(self) -> None:
        super().__init__()
        self.unreadable: set[str] = set()
        self.glossary_anchors: set[str] = set()  # ids of glossary entries left out for their problem
        self.missing: set[str] = set()  # pages missing in one language (their own finding)
        self.unparsable: set[str] = set()  # not even converted: Python-Markdown would exhaust its stack

    def filter(self, record: logging.LogRecord) -> bool:
        if not (self.unreadable or self.glossary_anchors or self.missing) or record.levelno != logging.WARNING:
            return True
        m = self.LINK.match(record.getMessage())
        if m and m["target"] and m["anchor"] in self.glossary_anchors and m["target"].endswith(f"/{checks.GLOSSARY_PAGE}"):
            return False  # the entry's own finding says why its heading is missing
        if m and m["gone"] in self.missing:
            return False
        return not (m and (m["source"] in self.unreadable or m["target"] in self.unreadable))


_knock_on = _DropKnockOn()
# On the logger of MkDocs' link validation itself (ProperDocs answers the same import).
mkdocs_pages.log.addFilter(_knock_on)


def _read_page(file) -> str:
    """A page's text, or one line naming it when it is not UTF-8 (MkDocs would end in a traceback)."""
    try:
        return file.content_string
    except UnicodeDecodeError as e:
        raise PluginError(not_utf8("Doc file", file.src_uri, Path(file.abs_src_path).read_bytes(), e)) from None
    except OSError as e:
        raise PluginError(f"Doc file '{file.src_uri}' cannot be read: {e.strerror}.") from None


def _source(page) -> str | None:
    """The page's Markdown file as written (front matter included), to give errors their line."""
    try:
        return page.file.content_string
    except (OSError, ValueError):
        return None


def on_pre_page(page, *, config, files):
    """Tell the pending-translation notice which page it is on: its language and the same page
    in the other language (the default language's pages point to the first other one)."""
    i18n = _i18n(config)
    if i18n is not None:
        lang, default = i18n.current_language, i18n.default_language
        others = [x for x in i18n.build_languages if x != default]
        other = (others[0] if others else default) if lang == default else default
        name = page.url[len(lang) + 1:] if lang != default and page.url.startswith(f"{lang}/") else page.url
        target = name if other == default else f"{other}/{name}"
        pending.CURRENT = pending.PageContext(lang, other, get_relative_url(target or ".", page.url or "."))
    return page


def on_env(env, *, config, files):
    """Cache compiled templates on disk: MkDocs makes a new Jinja environment for every build
    (every language pass, every `mkdocs serve` rebuild) and compiling Material's ~90
    templates again each time costs most of a second.

    The template also gets the file name of Material's bundle (`material_bundle`), which the
    pages load on the reader's first interaction (overrides/partials/material.js)."""
    env.bytecode_cache = _BytecodeCache(str(_cache_dir("jinja")))
    try:
        env.globals["material_bundle"] = material.bundle_path(config.theme.dirs)
    except material.BundleNotFound as e:
        raise PluginError(str(e)) from None
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's disk cache, harmless when damaged: a folder deleted during the build (another
    build's `rm -rf .cache`) or an unreadable entry only costs a compile, never the build."""

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket):
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _cache_dir(name: str) -> Path:
    path = _root / ".cache" / name
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # a read-only checkout: the caches stay empty
    return path


# --- Pages ----------------------------------------------------------------------------------
def on_page_markdown(markdown, *, page, config, files):
    """Tell the tooltip extension which page it converts next (it links the first use of each
    glossary term, and writes the entries on the glossary page)."""
    _guard_conversion(page)
    _tooltips.page = None
    if page.file.src_uri in _knock_on.unparsable:
        return ""  # reported by the checks (one line); converting it would only end in a second error
    if _glossary is None:
        return markdown
    lang = _i18n(config).current_language if _i18n(config) else glossary_mod.LANGUAGES[0]
    source = Page(f"{lang}/{page.file.src_uri.split('/', 1)[-1]}", markdown)
    _tooltips.page = tooltips.PageContext(
        glossary=_glossary, lang=lang,
        glossary_link=posixpath.relpath(checks.GLOSSARY_PAGE, str(source.dir) or "."),
        is_glossary_page=source.name == checks.GLOSSARY_PAGE,
        titles=_page_titles(lang) if source.name == checks.GLOSSARY_PAGE else {},
    )
    return markdown


def _guard_conversion(page) -> None:
    """Name the page when Python-Markdown cannot convert it: deeply nested lists or quotes
    exhaust its recursion (a 2,500-line traceback otherwise, naming no file)."""
    render = page.render

    def guarded(config, files):
        try:
            return render(config, files)
        except RecursionError:
            raise PluginError(f"Doc file '{page.file.src_uri}' is nested too deeply for the Markdown parser "
                              "(lists, quotes or HTML inside one another): flatten it.") from None

    page.render = guarded


def on_page_content(html, *, page, config, files):
    _tooltips.page = None  # converted: a conversion outside a page's events gets no tooltips
    page.meta["katex"] = prerender.has_math(html)
    return chart.exclude_from_search(prerender.exclude_sources_from_search(html))


def on_post_page(output, *, page, config):
    """Render math and diagrams in the finished page: after the search plugin has indexed it,
    so the index holds prose, not KaTeX's glyph spans and SVG (smaller, and much faster)."""
    _restore_language_roots(config)
    # Pure functions of the page: `serve` reuses their results for the pages an edit left alone.
    output, errors = r1docs_serve.memoised(typeset.before_render, output, keep=lambda result: not result[1])
    try:
        output, render_errors = prerender.prerender(output, _renderer, _source(page))
    except prerender.RendererUnavailable as e:
        raise PluginError(str(e)) from None
    if page.file.src_uri in _knock_on.unreadable:
        errors, render_errors = [], []  # what an unclosed fence or `$$` turned into code or math
    for error in errors:
        log.warning(f"Doc file '{page.file.src_uri}' has a {error}")
    for error in render_errors:
        where = f" (line {error.line})" if error.line else ""
        log.warning(f"Doc file '{page.file.src_uri}'{where} has a {error}")
    return r1docs_serve.memoised(typeset.after_render, output)


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
        site_output.install_math_font(_root / "node_modules", site_dir, _root / ".cache")
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


def on_build_error(*, error):
    """Make "Aborted with N warnings" tell every warning printed, not just the last pass's:
    a warning in static-i18n's nested pass aborts there, with that build() call's count."""
    counts = _warnings.get_counts() if _warnings is not None else []
    if isinstance(error, Abort) and counts and error.message.startswith("Aborted with ") and "strict mode" in error.message:
        error.message = f"Aborted with {', '.join(f'{v} {k.lower()}' + 's' * (v != 1) for k, v in counts)} in strict mode!"
