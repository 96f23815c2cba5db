"""MkDocs hook: the thin adapter between MkDocs events and the r1docs core.

It renders math and diagrams at build time, runs the cross-language checks once per
build, and puts right what static-i18n leaves mixed in the shared output (search, 404).
"""

from __future__ import annotations

import atexit
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger

from r1docs import prerender, site_output

log = get_plugin_logger("r1docs")
ROOT = Path(__file__).resolve().parent.parent

# One Node renderer for the whole process: static-i18n runs a nested build per language,
# and the cache lets the second language reuse every formula the first one rendered.
_renderer = prerender.Renderer(ROOT)
atexit.register(_renderer.close)
_default_404: bytes | None = None


def _i18n(config):
    return config.plugins.get("i18n")


def _nested_pass(config) -> bool:
    """True inside static-i18n's nested build of a non-default language."""
    return bool(getattr(_i18n(config), "building", False))


# --- Pages ----------------------------------------------------------------------------------
def on_page_content(html, *, page, config, files):
    try:
        html, errors = prerender.prerender(html, _renderer)
    except prerender.RendererUnavailable as e:
        raise PluginError(str(e)) from None
    for error in errors:
        log.warning(f"Doc file '{page.file.src_uri}' has a {error}")
    page.meta["katex"] = 'class="katex"' in html
    return html


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
    try:
        site_output.install_katex_assets(ROOT / "node_modules" / "katex" / "dist", site_dir)
        if i18n is not None:
            default = i18n.default_language
            others = [lang for lang in i18n.build_languages if lang != default]
            site_output.split_search_index(site_dir, default, others)
            if _default_404 is not None:
                site_output.restore_default_404(site_dir, _default_404, others[-1] if others else None)
    except (OSError, ValueError, KeyError) as e:
        raise PluginError(f"Error finishing the site output in '{site_dir}':\n{e}") from None


on_post_build = CombinedEvent(_keep_default_404, _finish_site)
