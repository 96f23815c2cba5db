"""The Pages workflow: linted, in step with the Makefile, and the build it runs is reproducible."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT, build, make_project

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
BIN = Path(sys.executable).parent


def test_zizmor_finds_nothing():
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress", str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_matches_the_github_workflow_schema():
    result = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_least_privilege_and_pinned_actions():
    flow = workflow()
    assert flow["permissions"] == {}
    assert "pull_request_target" not in flow[True]  # PyYAML reads the key `on` as True
    for name, job in flow["jobs"].items():
        writes = {k for k, v in job.get("permissions", {}).items() if v == "write"}
        assert writes == ({"pages", "id-token"} if name == "deploy" else set()), name
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
                if step["uses"].startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
    assert flow["jobs"]["deploy"]["concurrency"]["group"]
    text = WORKFLOW.read_text(encoding="utf-8")
    assert all(re.search(rf"{re.escape(u)} # v\d", text) for u in re.findall(r"uses: (\S+)", text))


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def test_workflow_runs_the_developer_make_targets():
    runs = [step["run"] for job in workflow()["jobs"].values() for step in job["steps"] if "run" in step]
    called = {m for run in runs for m in re.findall(r"\bmake (\w[\w-]*)", run)}
    assert {"test", "pdf"} <= called
    assert called <= make_targets()
    others = [run for run in runs if not re.fullmatch(r"make \w+", run.strip())]
    assert all(run.startswith("sudo apt-get") for run in others), others
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make serve" in readme and "make test" in readme


@pytest.mark.build
def test_two_builds_of_one_commit_are_byte_identical(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1737331200"}
    sites = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        project = make_project(tmp_path / name)
        result = build(project, site_url="https://example.github.io/r1-notes/", extra_env=env)
        assert result.returncode == 0
        sites.append(project / "site")
    different = []
    for path in sites[0].rglob("*"):
        if path.is_file():
            twin = sites[1] / path.relative_to(sites[0])
            if not twin.exists() or path.read_bytes() != twin.read_bytes():
                different.append(str(path.relative_to(sites[0])))
    assert different == []
