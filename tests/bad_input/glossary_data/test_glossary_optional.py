"""The glossary is optional: a site without one builds (no tooltips); a glossary the settings name
(`extra: translation_checks: glossary:`) must exist, else one line and a failing build."""

import subprocess
import sys

import pytest
from support import ROOT, build, warnings

from r1docs import glossary as g

MISSING = ("Glossary file 'data/glossary.yml' is named by 'extra: translation_checks: glossary' in mkdocs.yml, "
           "but it does not exist: restore it, or correct or remove the setting.")


def without_glossary(project, keep_setting: bool):
    (project / "data" / "glossary.yml").unlink()
    if not keep_setting:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "    glossary: data/glossary.yml\n" in text
        config.write_text(text.replace("    glossary: data/glossary.yml\n", ""), encoding="utf-8")
    return project


def test_locate(tmp_path):
    assert g.locate(tmp_path) is None
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "glossary.yml").write_text("[]\n", encoding="utf-8")
    assert g.locate(tmp_path) == (tmp_path / "data" / "glossary.yml", "data/glossary.yml")
    with pytest.raises(g.GlossaryError) as e:
        g.locate(tmp_path, "data/terms.yml")
    assert str(e.value) == MISSING.replace("data/glossary.yml", "data/terms.yml")
    with pytest.raises(g.GlossaryError) as e:
        g.locate(tmp_path, "data")
    assert "named by 'extra: translation_checks: glossary' in mkdocs.yml, but it is not a file" in str(e.value)


@pytest.mark.build
def test_a_site_without_a_glossary_builds(small_site):
    project = without_glossary(small_site, keep_setting=False)
    result = build(project)
    assert result.returncode == 0, "\n".join(warnings(result))
    assert warnings(result) == []
    page = (project / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "the router" in page and 'class="glossary-term"' not in page


@pytest.mark.build
def test_a_named_glossary_that_is_missing_is_one_line(small_site):
    project = without_glossary(small_site, keep_setting=True)
    result = build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert warnings(result) == [f"ERROR   -  {MISSING}"]


def test_the_checker_agrees(small_site):
    for keep, code, lines in ((True, 2, [f"ERROR   -  {MISSING}"]), (False, 0, [])):
        project = small_site.parent / f"copy-{keep}"
        subprocess.run(["cp", "-a", str(small_site), str(project)], check=True)
        without_glossary(project, keep_setting=keep)
        result = subprocess.run([sys.executable, "-m", "r1docs", "."], cwd=project, capture_output=True, text=True,
                                env={"PYTHONPATH": str(ROOT / "hooks")})
        assert result.returncode == code, result.stderr
        assert [l for l in result.stderr.splitlines() if l.startswith(("WARNING", "ERROR"))] == lines
        assert "Traceback" not in result.stderr
