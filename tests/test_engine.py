"""The engine: a clean build is silent but for its INFO lines, and ProperDocs builds the same site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, build, make_project

from project_copy import build_env

pytestmark = pytest.mark.build

# What MkDocs itself prints on a clean build: `INFO    -  message`, one line each.
LOG_LINE = re.compile(r"INFO    -  \S")


def test_clean_build_log_has_no_warning_or_stack_lines(built_site):
    result = built_site.result
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    noise = [line for line in lines if not LOG_LINE.match(line)]
    assert noise == [], "\n".join(noise)
    assert not [line for line in lines if re.search(r"Warning|Traceback|prefix dict|Loading model", line)]
    assert len(lines) <= 6, "\n".join(lines)  # per pass: building, cleaning; one 'built in' line


def test_jieba_keeps_its_cache_in_the_project(built_site):
    assert (built_site.project / ".cache" / "jieba" / "jieba.cache").is_file()


# --- ProperDocs: the same site from the MkDocs 1.x fork ---------------------------------------
PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# static-i18n looks for lunr languages in the 'mkdocs' distribution at import, before strict
# mode counts anything; it falls back to its own list (this site does not reconfigure search).
PROPERDOCS_IMPORT_NOTE = "WARNING -  mkdocs_static_i18n: Unable to detect lunr languages from mkdocs distribution"


def properdocs_build(project: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    if not PROPERDOCS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{PROPERDOCS} is missing: `make test` sets it up from requirements-properdocs.lock.")
        pytest.skip("no .venv-properdocs (`make test` sets it up from requirements-properdocs.lock)")
    command = [str(PROPERDOCS), "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")]
    return subprocess.run(command, capture_output=True, text=True, env=build_env(site_url), cwd=project, timeout=300)


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): GENERATOR.sub(b"", p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def properdocs_site(built_site, tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("properdocs"))
    return project, properdocs_build(project, site_url=built_site.base_url)


def test_properdocs_builds_the_same_site(built_site, properdocs_site):
    project, result = properdocs_site
    assert result.returncode == 0, result.stderr[-3000:]
    assert [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))] == [PROPERDOCS_IMPORT_NOTE]
    assert "ProperDocs" in (project / "site" / "index.html").read_text(encoding="utf-8")  # it really ran
    mkdocs_files, properdocs_files = site_files(built_site.project / "site"), site_files(project / "site")
    assert sorted(properdocs_files) == sorted(mkdocs_files)
    assert [name for name in mkdocs_files if mkdocs_files[name] != properdocs_files[name]] == []


def test_properdocs_strict_build_fails_a_planted_fault(tmp_path):
    project = make_project(tmp_path)
    page = project / "docs" / "en" / "cost.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA made-up figure: 12,345 GPU hours.\n", encoding="utf-8")
    result = properdocs_build(project)
    assert result.returncode != 0
    assert "WARNING -  r1docs: Doc file 'en/cost.md'" in result.stderr
    assert "states the figure '12,345', which its counterpart 'zh/cost.md' does not" in result.stderr
    assert "Traceback" not in result.stderr


# --- mkdocs serve: warm caches give the same site as a full build -----------------------------
# Rebuilds the way `mkdocs serve` does (one process, config loaded again for every build), with
# the hook's serve caches installed; an edit is appended to a page before each later build.
SERVE_DRIVER = """
import logging
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
project, site, page, *edits = sys.argv[1:]
for i, edit in enumerate(["", *edits]):
    if edit:
        with open(page, "a", encoding="utf-8") as f:
            f.write(edit)
    config = load_config(project + "/mkdocs.yml", site_dir=site)
    if i == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
        print(f"BUILD {i} OK", file=sys.stderr)
    except Abort:
        print(f"BUILD {i} ABORTED", file=sys.stderr)
"""


def serve_rebuilds(project: Path, site: Path, page: str, *edits: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SERVE_DRIVER, str(project), str(site), str(project / "docs" / page), *edits],
                          capture_output=True, text=True, env=build_env(), cwd=project, timeout=600)


def test_serve_rebuild_with_warm_caches_writes_what_a_full_build_writes(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "docs" / ".sync-record").unlink()  # the edits are one-sided on purpose: no sync check
    served = serve_rebuilds(project, tmp_path / "served", "en/moe.md", "\nAn edit in **serve**.\n", "\nAnother edit.\n")
    assert served.stderr.count(" OK") == 3, served.stderr[-3000:]
    full = build(project)  # the edited project, built from scratch in a fresh process
    assert full.returncode == 0, full.stderr[-3000:]
    rebuilt, fresh = site_files(tmp_path / "served"), site_files(project / "site")
    assert sorted(rebuilt) == sorted(fresh)
    assert [name for name in fresh if rebuilt[name] != fresh[name]] == []
    assert "Another edit." in (tmp_path / "served" / "en" / "moe" / "index.html").read_text(encoding="utf-8")


def test_serve_repeats_a_warning_on_every_rebuild(tmp_path):
    project = make_project(tmp_path / "project")
    served = serve_rebuilds(project, tmp_path / "served", "en/cost.md", "\nSee [missing](missing.md).\n", "\n")
    warning = "Doc file 'en/cost.md' contains a link 'missing.md', but the target 'en/missing.md' is not found"
    assert served.stderr.count(warning) == 2, served.stderr[-3000:]
    assert "BUILD 0 OK" in served.stderr and "BUILD 1 ABORTED" in served.stderr and "BUILD 2 ABORTED" in served.stderr


def test_serve_repeats_a_cross_language_finding_on_every_rebuild(tmp_path):
    # The checks' parsed views are kept in memory between rebuilds: the edited page is parsed
    # again, and the checks still compare every page of both languages.
    project = make_project(tmp_path / "project")
    served = serve_rebuilds(project, tmp_path / "served", "en/cost.md", "\nA made-up figure: 12,345 GPU hours.\n", "\n")
    finding = "states the figure '12,345', which its counterpart 'zh/cost.md' does not"
    assert served.stderr.count(finding) == 2, served.stderr[-3000:]
    assert "BUILD 0 OK" in served.stderr and "BUILD 2 ABORTED" in served.stderr
    assert "Traceback" not in served.stderr
