"""Shared fixtures: the core on sys.path, tiny bilingual docs trees, real MkDocs builds."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))

import project_copy  # noqa: E402
from pages_server import PagesServer  # noqa: E402
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


# --- The served site (shared by the build, browser and PDF tests) -----------------------------
@dataclass
class BuiltSite:
    project: Path
    result: subprocess.CompletedProcess
    base_url: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real site, built once for a GitHub-Pages-like sub-path URL and served on localhost."""
    project = make_project(tmp_path_factory.mktemp("served"))
    with PagesServer(project / "site") as server:
        result = build(project, site_url=server.base_url)
        yield BuiltSite(project, result, server.base_url)


@pytest.fixture(scope="session")
def site(built_site):
    """Base URL of the served site (fails the test when the build failed)."""
    assert built_site.result.returncode == 0, "\n".join(warnings(built_site.result))
    return built_site.base_url
