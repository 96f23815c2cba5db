"""Session fixtures: the real site, built once for a sub-path URL and served like GitHub Pages."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import build, make_project, warnings

from pages_server import PagesServer

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
