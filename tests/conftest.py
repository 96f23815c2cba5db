"""Shared fixtures: the core on sys.path, tiny bilingual docs trees, real MkDocs builds."""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from r1docs.model import Page  # noqa: E402

MKDOCS = [sys.executable, "-m", "mkdocs"]
SUB_PATH = "/r1-notes/"


def pages(tree: dict[str, str]) -> list[Page]:
    """Pages from {'zh/a.md': text}; text is dedented so tests can indent it."""
    return [Page(uri, textwrap.dedent(text).lstrip("\n")) for uri, text in tree.items()]


def make_project(tmp: Path, docs: dict[str, str] | None = None, glossary: str | None = None,
                 nav: dict[str, list] | None = None) -> Path:
    """A copy of the real project (config, hooks, theme overrides, data) in `tmp`, optionally
    with its docs replaced by `docs` and its glossary by `glossary`."""
    for name in ("mkdocs.yml", "hooks", "overrides", "data", "docs"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp / name,
            **({"ignore": shutil.ignore_patterns("__pycache__")} if source.is_dir() else {}))
    (tmp / "node_modules").symlink_to(ROOT / "node_modules")
    if docs is not None:
        shutil.rmtree(tmp / "docs")
        shutil.copytree(ROOT / "docs" / "assets", tmp / "docs" / "assets")
        for uri, text in docs.items():
            (tmp / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
            (tmp / "docs" / uri).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    if glossary is not None:
        (tmp / "data" / "glossary.yml").write_text(textwrap.dedent(glossary).lstrip("\n"), encoding="utf-8")
    if nav is not None:
        set_nav(tmp / "mkdocs.yml", nav)
    return tmp


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


def build(project: Path, site_url: str | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run([*MKDOCS, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
                          capture_output=True, text=True, env=env, cwd=project, timeout=300)


def warnings(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]


# --- The served site (shared by the build, browser and PDF tests) -----------------------------
class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under SUB_PATH and answers a missing path with /404.html, as Pages does."""

    def log_message(self, *args):  # keep test output clean
        pass

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(SUB_PATH):
            return self._not_found()
        self.path = "/" + path[len(SUB_PATH):]
        target = Path(self.translate_path(self.path))
        if not target.exists() or (target.is_dir() and not (target / "index.html").exists()):
            return self._not_found()
        return super().send_head()

    def _not_found(self):
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@dataclass
class BuiltSite:
    project: Path
    result: subprocess.CompletedProcess
    base_url: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real site, built once for a GitHub-Pages-like sub-path URL and served on localhost."""
    project = make_project(tmp_path_factory.mktemp("served"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(project / "site")))
    base = f"http://127.0.0.1:{server.server_port}{SUB_PATH}"
    result = build(project, site_url=base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield BuiltSite(project, result, base)
    server.shutdown()


@pytest.fixture(scope="session")
def site(built_site):
    """Base URL of the served site (fails the test when the build failed)."""
    assert built_site.result.returncode == 0, "\n".join(warnings(built_site.result))
    return built_site.base_url


