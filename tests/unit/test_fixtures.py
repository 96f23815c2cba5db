"""The command-line checker on small committed trees, one folder per fault kind.

Each `tests/fixtures/<kind>/` is a project (mkdocs.yml, docs/, maybe data/ and a sync record)
with an `expected.txt`: the exit status, then every line the checker prints, exactly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import ROOT  # noqa: F401  (puts hooks/ on sys.path)

from r1docs.__main__ import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("kind", sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").is_file()))
def test_fixture(kind, capsys, monkeypatch):
    folder = FIXTURES / kind
    status, *lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    monkeypatch.chdir(folder)
    code = main(["."])
    out = capsys.readouterr()
    printed = [x for x in (out.out + out.err).splitlines() if x.startswith(("WARNING", "ERROR"))]
    assert "Traceback" not in out.out + out.err
    assert (f"exit {code}", printed) == (status, lines)
