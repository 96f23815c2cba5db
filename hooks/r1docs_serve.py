"""Warm caches for `mkdocs serve` (installed by hooks/site_hook.py on the `serve` command only).

A rebuild after an edit converts again only the pages whose Markdown changed: MkDocs' Markdown
conversion and Material's search indexing of an unchanged page are replayed from the previous
rebuild, the theme's files (Material has about 14,000, mostly icons) are listed once, the checks'
parsed views of unchanged pages are kept in memory, and the typography passes over an unchanged
finished page are replayed. Each is a pure function of what its cache key holds (the page's
Markdown, every file's path and URL, the Markdown settings, the bytes of data/, what the hook
gives the conversion: the other pages' titles for the glossary page), so the output is the same
as a full rebuild's. A result that logged a warning is never cached, so its warning comes back
on every rebuild and strict mode still fails. Everything else (nav, templates, the
cross-language checks of every page of both languages, math and diagrams) runs on every rebuild.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path

_installed = False
_render_cache: dict[tuple, tuple] = {}
_search_cache: dict[tuple, list[dict]] = {}
_theme_cache: dict[tuple, list[tuple[str, str]]] = {}
_views: dict[str, object] = {}  # page text -> the checks' parsed view of it
_finished: dict[tuple, object] = {}  # (function, digest of a finished page) -> its result
_MAX_PAGES = 400  # whole pages (~100 KB each): a few versions of every page
_MAX_ENTRIES = 2000  # a long session edits many versions of a page: bound the memory
# What the hook hands a page's conversion besides its Markdown (the glossary page gets the other
# pages' titles): part of the page's cache key. Set by the hook.
page_inputs = lambda: ()  # noqa: E731
data_dirs: list[Path] = []  # inputs outside the page that extensions may read (set by the hook)


class _WarningCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def install() -> None:
    """Wrap Page.render and Material's SearchIndex.add_entry_from_context (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    from mkdocs.structure.pages import Page

    from mkdocs.structure.files import Files

    _wrap_render(Page)
    _wrap_theme_files(Files)
    _wrap_parsed_views()
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:  # another theme: nothing to wrap
        return
    _wrap_search(SearchIndex)


def _bounded(cache: dict) -> dict:
    if len(cache) > _MAX_ENTRIES:
        cache.clear()
    return cache


# --- Markdown conversion -------------------------------------------------------------------
def _files_key(files) -> tuple:
    """What link resolution reads from `files`: every file's source path and URL (computed once
    per Files object: a build asks for it once per page)."""
    key = getattr(files, "_r1_serve_key", None)
    if key is None:
        key = tuple(sorted((f.src_uri, f.url) for f in files))
        files._r1_serve_key = key
    return key


def _extensions_key(extensions) -> tuple:
    """Extensions by name, and an Extension object (a hook may add one per build) by its class
    and settings rather than its identity."""
    return tuple(x if isinstance(x, str) else (type(x).__module__, type(x).__qualname__,
                                              repr(sorted(getattr(x, "getConfigs", dict)().items(), key=str)))
                 for x in extensions)


def _config_key(config) -> str:
    """The settings a conversion reads, and the data files (the glossary) extensions may read."""
    key = getattr(config, "_r1_serve_key", None)
    if key is None:
        data = hashlib.sha256()
        for folder in data_dirs:
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                if path.is_file():
                    data.update(path.as_posix().encode() + b"\0" + path.read_bytes())
        key = repr((_extensions_key(config["markdown_extensions"]), config["mdx_configs"], config["validation"],
                    config["use_directory_urls"], config["site_url"], config["docs_dir"], data.hexdigest()))
        config._r1_serve_key = key
    return key


def _wrap_render(page_class) -> None:
    original = page_class.render
    logger = logging.getLogger(page_class.__module__.split(".")[0])  # 'mkdocs' (or 'properdocs')

    def render(self, config, files):
        key = (self.file.src_uri, self.file.url, self.markdown, _files_key(files), _config_key(config), page_inputs())
        hit = _render_cache.get(key)
        if hit is not None:
            content, toc, title, anchors, links = hit
            self.content, self.toc, self._title_from_render = content, toc, title
            self.present_anchor_ids = set(anchors)
            if links is not None:  # links_to_anchors is keyed by File objects: map to this build's
                self.links_to_anchors = {files.get_file_from_path(uri): dict(v) for uri, v in links.items()}
            return
        counter = _WarningCount()
        logger.addHandler(counter)
        try:
            original(self, config, files)
        finally:
            logger.removeHandler(counter)
        if counter.count:
            return
        links = self.links_to_anchors
        _bounded(_render_cache)[key] = (
            self.content, self.toc, self._title_from_render, frozenset(self.present_anchor_ids or ()),
            None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        )

    page_class.render = render


# --- Theme files -----------------------------------------------------------------------------
def _is_installed(folder: str) -> bool:
    return os.path.realpath(folder).startswith(os.path.realpath(sys.prefix) + os.sep)


def _listing(folder: str) -> tuple[str, ...]:
    return tuple(sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs))


def _wrap_theme_files(files_class) -> None:
    """MkDocs lists and filters every theme file on every build, twice here (one pass per
    language). Installed themes do not change during a session: list them once; the project's
    own overrides/ are listed again each time (a few files)."""
    original = files_class.add_files_from_theme

    def add_files_from_theme(self, env, config):
        from mkdocs.structure.files import File

        dirs = tuple(config.theme.dirs)
        key = (dirs, tuple(config.theme.static_templates), tuple(() if _is_installed(d) else _listing(d) for d in dirs))
        pairs = _theme_cache.get(key)
        if pairs is None:
            probe = files_class([])
            original(probe, env, config)
            pairs = [(f.src_uri, f.src_dir) for f in probe]
            _bounded(_theme_cache)[key] = pairs
        for path, folder in pairs:
            if self.get_file_from_path(path) is None:  # theme files do not override docs files
                self.append(File(path, folder, config.site_dir, config.use_directory_urls))

    files_class.add_files_from_theme = add_files_from_theme


# --- Search indexing -------------------------------------------------------------------------
def _toc_key(items) -> tuple:
    return tuple((item.title, item.url, item.level, _toc_key(item.children)) for item in items or ())


def _wrap_search(index_class) -> None:
    original = index_class.add_entry_from_context

    def add_entry_from_context(self, page):
        key = (page.url, page.content, page.title, _toc_key(page.toc), repr(sorted(page.meta.items(), key=str)),
               repr(sorted(self.config.items(), key=str)))
        hit = _search_cache.get(key)
        if hit is not None:
            self.entries.extend(dict(entry) for entry in hit)
            return
        before = len(self.entries)
        original(self, page)
        _bounded(_search_cache)[key] = [dict(entry) for entry in self.entries[before:]]

    index_class.add_entry_from_context = add_entry_from_context


# --- The checks' parsed views ----------------------------------------------------------------
def _wrap_parsed_views() -> None:
    """The checks parse every page of both languages on every rebuild, through a disk cache that
    is read and written again each time (a few MB). Keep the views in memory for the session and
    parse only the texts not seen before; the checks themselves still run on every page."""
    from r1docs import document

    original = document.parse_all

    def parse_all(texts, cache_dir=None, **options):
        if not _views:  # the session's first build: fill (and keep) the disk cache as usual
            views = original(texts, cache_dir, **options)
        else:
            missing = {uri: text for uri, text in texts.items() if text not in _views}
            views = original(missing, None, **options) if missing else {}
        views = {uri: views[uri] if uri in views else _views[text] for uri, text in texts.items()}
        for uri, text in texts.items():
            _bounded(_views)[text] = views[uri]
        return views

    document.parse_all = parse_all


# --- The hook's passes over a finished page ---------------------------------------------------
def memoised(function, text: str, keep=lambda result: True):
    """`function(text)`, reused in `serve` for a text seen before (a pure function of its text,
    such as the typography passes over a finished page: most pages are unchanged by an edit).
    A result `keep` refuses (one with problems to report) is made again every time."""
    if not _installed:  # `mkdocs build`: each page is made once
        return function(text)
    key = (function.__module__, function.__qualname__, hashlib.sha256(text.encode("utf-8")).digest())
    hit = _finished.get(key)
    if hit is not None:
        return hit
    result = function(text)
    if keep(result):
        if len(_finished) > _MAX_PAGES:
            _finished.clear()
        _finished[key] = result
    return result


# --- The file watcher ------------------------------------------------------------------------
POLL_INTERVAL = 0.1  # s; MkDocs' LiveReloadServer polls every 0.5 s


def poll_faster(server, interval: float = POLL_INTERVAL) -> None:
    """Set the polling interval of MkDocs' watchdog PollingObserver: its emitters for the paths
    already watched, and the observer's own for those watched later. Attributes of watchdog's
    (it has no setter): if they are not there, the watcher keeps its own interval."""
    observer = getattr(server, "observer", None)
    if observer is None or not isinstance(getattr(observer, "_timeout", None), (int, float)):
        return
    observer._timeout = interval
    for emitter in list(getattr(observer, "emitters", ())):
        if isinstance(getattr(emitter, "_timeout", None), (int, float)):
            emitter._timeout = interval
