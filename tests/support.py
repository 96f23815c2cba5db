"""Helpers the tests share: the core on sys.path, tiny bilingual docs trees, real MkDocs builds."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))

import project_copy  # noqa: E402
from page_state import MATERIAL_STARTED, start_material  # noqa: E402,F401  (the tests' too)
from r1docs.model import Page  # noqa: E402



def pages(tree: dict[str, str]) -> list[Page]:
    """Pages from {'zh/a.md': text}; text is dedented so tests can indent it."""
    return [Page(uri, textwrap.dedent(text).lstrip("\n")) for uri, text in tree.items()]


def make_project(tmp: Path, docs: dict[str, str] | None = None, glossary: str | None = None,
                 nav: dict[str, list] | None = None) -> Path:
    """A copy of the real project in `tmp`, optionally with other docs, glossary and navs."""
    project = project_copy.make_project(tmp, docs, glossary)
    if nav is not None:
        set_nav(project / "mkdocs.yml", nav)
    return project


def set_nav(config: Path, nav: dict[str, list]) -> None:
    """Replace the per-language navs in a copy of mkdocs.yml."""
    import re

    text = config.read_text(encoding="utf-8")
    for lang, entries in nav.items():
        block = "".join(f"            - {entry}\n" for entry in entries)
        text = re.sub(
            rf"(- locale: {lang}\n(?:          (?!nav:).*\n)*?          nav:\n)(?:            .*\n|                .*\n)+",
            lambda m: m[1] + block, text, count=1)
    config.write_text(text, encoding="utf-8")


build = project_copy.build


def warnings(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
