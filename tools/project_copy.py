"""A throw-away copy of the project (config, hooks, theme, data, docs) for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("mkdocs.yml", "hooks", "overrides", "data", "docs")


def make_project(tmp: Path, docs: dict[str, str] | None = None, glossary: str | None = None) -> Path:
    """Copy the project into `tmp`; `docs` replaces the pages, `glossary` the glossary file."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp / name)
    (tmp / "node_modules").symlink_to(ROOT / "node_modules")
    if docs is not None:
        shutil.rmtree(tmp / "docs")
        for uri, text in docs.items():
            (tmp / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
            (tmp / "docs" / uri).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    if glossary is not None:
        (tmp / "data" / "glossary.yml").write_text(textwrap.dedent(glossary).lstrip("\n"), encoding="utf-8")
    return tmp


def build_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")]


def build_env(site_url: str | None = None, extra: dict | None = None) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra or {})}
    if site_url:
        env["SITE_URL"] = site_url
    return env


def build(project: Path, site_url: str | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(project), capture_output=True, text=True,
                          env=build_env(site_url, extra_env), cwd=project, timeout=300)
