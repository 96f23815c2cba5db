"""Structural faults of the site caught by a real strict build of a small copy, as the checker
catches them (tests/fixtures/ holds the checker's side)."""

import pytest
from support import build, warnings

pytestmark = pytest.mark.build

EN_NAV = "          nav:\n            - Home: index.md\n            - MoE: moe.md\n            - Glossary: glossary.md\n"


def test_a_language_without_a_nav_fails_the_build(small_site):
    """static-i18n has put the default language's nav in the top-level `nav` when the hook runs:
    the check must not take it for a nav the other language could fall back to."""
    config = small_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert EN_NAV in text
    config.write_text(text.replace(EN_NAV, ""), encoding="utf-8")
    result = build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert warnings(result) == [
        "WARNING -  r1docs: Language 'en' has no nav: give it its own 'nav:' under 'plugins: i18n: languages:' "
        "(MkDocs would otherwise list its pages alphabetically)."]
    assert result.stdout.strip().splitlines()[-1] == "Aborted with 1 warning in strict mode!"
