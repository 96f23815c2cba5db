"""Material's bundle, which the pages load on the reader's first interaction
(overrides/partials/material.js), not with the `<script src>` of Material's template.

The template has to name the file, and Material fingerprints it (`bundle.<hash>.min.js`), so
the name changes with every Material release. It is found here, in the theme's folders, so that
an upgrade needs no edit to the template, and a missing or doubled bundle is a one-line error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

BUNDLE_GLOB = "assets/javascripts/bundle.*.min.js"


class BundleNotFound(Exception):
    """The theme's folders hold no Material bundle, or more than one."""


def bundle_path(theme_dirs: Iterable[str | Path]) -> str:
    """The bundle's path relative to the site root, from the first theme folder that has one
    (the custom_dir comes before Material's own, so a copy there would win, as in the template)."""
    for folder in map(Path, theme_dirs):
        found = sorted(p.relative_to(folder).as_posix() for p in folder.glob(BUNDLE_GLOB))
        if len(found) > 1:
            raise BundleNotFound(
                f"Theme folder '{folder}' holds {len(found)} Material bundles ({', '.join(found)}), and the pages "
                "load one: reinstall mkdocs-material from the lock (rm -rf .venv && make serve).")
        if found:
            return found[0]
    raise BundleNotFound(
        f"No theme folder holds Material's bundle ({BUNDLE_GLOB}), which the pages load: is the theme "
        "'material'? Reinstall mkdocs-material from the lock (rm -rf .venv && make serve).")
