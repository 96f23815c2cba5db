"""The engine: a clean build is silent but for its INFO lines, and ProperDocs builds the same site."""

from __future__ import annotations

import re

import pytest

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
