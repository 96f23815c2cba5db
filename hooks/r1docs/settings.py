"""The rules a project chooses for its translations, read from `extra: translation_checks:` in
mkdocs.yml. The defaults suit any static-i18n tree; this site turns its house rules on:

    extra:
      translation_checks:
        explicit_ids: true      # every heading carries `{ #id }`, the same in every language
        cross_tree_links: false # no link leaves its language tree, not even to a shared file
        nav_required: true      # every language has its own nav (never MkDocs' alphabetical one)
        exclude: [blog/*.md]    # pages untranslated by policy (globs on the page name)
        missing_pages: true     # false when missing pages fall back to the default language by design
        figures: true           # also code, untranslated: each kind of comparison can be turned off
        glossary: data/glossary.yml  # the glossary file (then it must exist); default: that file if present
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, fields


class SettingsError(ValueError):
    """The settings cannot be read (one line naming the field)."""


@dataclass(frozen=True)
class Settings:
    explicit_ids: bool = False
    """Every heading needs an explicit id; headings are compared by id only."""
    cross_tree_links: bool = True
    """Links may leave the language tree to shared files (never into another language)."""
    nav_required: bool = False
    """Every language needs a nav of its own or a top-level one."""
    exclude: tuple[str, ...] = ()
    """Page names (globs) that exist in some languages only, by policy."""
    missing_pages: bool = True
    """A page missing in a language is a finding (false: the site falls back to the default language)."""
    figures: bool = True
    code: bool = True
    untranslated: bool = True
    glossary: str | None = None
    """The glossary file, relative to the project root. Unset: 'data/glossary.yml' when it exists
    (a site may have no glossary); named here, it must exist."""

    def excluded(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.exclude)

    @classmethod
    def from_config(cls, config: dict | None, where: str = "mkdocs.yml") -> "Settings":
        extra = (config or {}).get("extra") or {}
        data = extra.get("translation_checks") if hasattr(extra, "get") else None
        if data is None:
            return cls()
        if not hasattr(data, "items"):
            raise SettingsError(f"Config file '{where}': 'extra: translation_checks:' must be a mapping of settings.")
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in data.items():
            if key not in known:
                raise SettingsError(f"Config file '{where}': unknown setting 'extra: translation_checks: {key}'; "
                                    f"known settings: {', '.join(known)}.")
            if key == "exclude":
                if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
                    raise SettingsError(f"Config file '{where}': 'extra: translation_checks: exclude' must be a list of page names.")
                value = tuple(value)
            elif key == "glossary":
                if not isinstance(value, str) or not value.strip():
                    raise SettingsError(f"Config file '{where}': 'extra: translation_checks: glossary' must be the path of "
                                        f"the glossary file (like 'data/glossary.yml'), not {value!r}.")
                value = value.strip()
            elif not isinstance(value, bool):
                raise SettingsError(f"Config file '{where}': 'extra: translation_checks: {key}' must be true or false, not {value!r}.")
            values[key] = value
        return cls(**values)


HOUSE = Settings(explicit_ids=True, cross_tree_links=False, nav_required=True)
"""This site's rules (mkdocs.yml sets them; the tests use them directly)."""
