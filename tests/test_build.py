"""Real `mkdocs build --strict` runs: the site passes; each fault kind fails with its message."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from support import ROOT, build, make_project, warnings

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def real_build(built_site):
    return built_site.project, built_site.result


def test_real_site_builds_strict_with_zero_findings(real_build):
    _, result = real_build
    assert result.returncode == 0, "\n".join(warnings(result)) or result.stderr[-3000:]
    assert warnings(result) == []


def test_each_language_has_its_own_search_index(real_build):
    project, _ = real_build
    zh = json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))
    en = json.loads((project / "site/en/search/search_index.json").read_text(encoding="utf-8"))
    assert zh["config"]["lang"] == ["zh"] and en["config"]["lang"] == ["en"]
    assert "stemmer" not in en["config"]["pipeline"]  # see SEARCH_PIPELINES
    assert not any(d["location"].startswith("en/") for d in zh["docs"])
    assert {d["location"].split("#")[0] for d in en["docs"]} >= {"", "moe/"}
    assert "\u200b" in "".join(d["text"] for d in zh["docs"])  # jieba segmented the Chinese


def test_404_pages_per_language(real_build):
    project, _ = real_build
    assert "页面不存在" in (project / "site/404.html").read_text(encoding="utf-8")
    assert "page not found" in (project / "site/en/404.html").read_text(encoding="utf-8")


def test_no_third_party_asset_in_output(real_build, built_site):
    project, _ = real_build
    hosts = set()
    for page in (project / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        hosts.update(re.findall(r'(?:src|href)="https?://([^/"]+)', text))
        hosts.update(re.findall(r"@import url\(['\"]?https?://([^/'\")]+)", text))
    # Only links a reader clicks may leave the site (references), never a loaded asset.
    own = urlsplit(built_site.base_url).netloc
    loaded = re.compile(r'<(?:script|img|iframe)[^>]+src="https?://([^/"]+)|<link[^>]+rel="(?:stylesheet|preload|modulepreload|icon)"[^>]+href="https?://([^/"]+)')
    assets = {h for page in (project / "site").rglob("*.html") for m in loaded.findall(page.read_text(encoding="utf-8")) for h in m if h}
    assert assets - {own} == set()
    assert "fonts.googleapis.com" not in hosts and "api.github.com" not in hosts


BROKEN_LINK = {
    "zh/index.md": "# 首页 { #home }\n\n见 [缺失](missing.md)。\n",
    "en/index.md": "# Home { #home }\n\nSee [missing](missing.md).\n",
}


def test_mkdocs_own_validation_fails_a_broken_link(tmp_path):
    project = make_project(tmp_path, docs=BROKEN_LINK, glossary="[]\n", nav={"zh": ["首页: index.md"], "en": ["Home: index.md"]})
    result = build(project)
    assert result.returncode != 0
    assert ("WARNING -  Doc file 'zh/index.md' contains a link 'missing.md', but the target 'zh/missing.md' "
            "is not found among documentation files.") in warnings(result)


def plant(project, uri: str, old: str | None, new: str) -> None:
    path = project / "docs" / uri
    text = path.read_text(encoding="utf-8")
    if old is None:
        text += new
    else:
        assert old in text, f"{old!r} not in {uri}"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


FAULTS = {
    "page-missing": (
        lambda p: (p / "docs/en/cost.md").unlink(),
        "Doc file 'en/cost.md' is missing: its counterpart 'zh/cost.md' exists. Translate it, or remove both.",
    ),
    "heading-id-drift": (
        lambda p: plant(p, "en/moe.md", "{ #shared-experts }", "{ #shared }"),
        "Doc file 'en/moe.md' has no heading id '#shared-experts', which its counterpart 'zh/moe.md'",
    ),
    "cross-tree-link": (
        lambda p: plant(p, "zh/mla.md", None, "\n另见[英文版](../en/mla.md)。\n"),
        "contains a link '../en/mla.md' that leaves the 'zh' tree",
    ),
    "link-in-one-language": (
        lambda p: plant(p, "en/grpo.md", None, "\nSee also [the verdict legend](claims.md#legend).\n"),
        "links to 'claims.md#legend', but its counterpart 'zh/grpo.md' has no such link",
    ),
    "figure-drift": (
        lambda p: plant(p, "en/cost.md", None, "\nA made-up figure: 12,345 GPU hours.\n"),
        "states the figure '12,345', which its counterpart 'zh/cost.md' does not",
    ),
    "avoided-term": (
        lambda p: plant(p, "zh/moe.md", None, "\n专家混合这个叫法应当避免。\n"),
        "writes '专家混合': use the glossary term '混合专家'",
    ),
    "glossary-missing-field": (
        lambda p: plant(p, "../data/glossary.yml", "  en_def:", "  en_definition:"),
        "field 'en_def' is missing or empty",
    ),
    "glossary-malformed": (
        lambda p: plant(p, "../data/glossary.yml", None, "\n- id: [broken\n"),
        "ERROR   -  Glossary file 'data/glossary.yml' (line",
    ),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_planted_fault_fails_the_strict_build(tmp_path, fault):
    project = make_project(tmp_path)
    do, expected = FAULTS[fault]
    do(project)
    result = build(project)
    assert result.returncode != 0
    output = result.stderr
    assert expected in output, output[-3000:]
    assert "Traceback" not in output


def test_command_line_reports_what_the_hook_reports(tmp_path):
    project = make_project(tmp_path)
    for fault in ("heading-id-drift", "cross-tree-link", "figure-drift"):
        FAULTS[fault][0](project)
    hook = sorted(line.split("r1docs: ", 1)[1] for line in warnings(build(project)) if "r1docs: " in line)
    cli = subprocess.run([sys.executable, "-m", "r1docs", str(project)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "hooks")})
    assert cli.returncode == 1
    assert sorted(line.split("-  ", 1)[1] for line in cli.stdout.splitlines()) == hook
    assert len(hook) >= 3
