"""An entry left out for its problem is reported once: nothing that only follows from its absence
(another term matching its spelling, links to its anchor on the glossary page) is a finding too."""

import pytest
from conftest import load_glossary
from support import build, pages, warnings

from r1docs import checks

TWO = """
- id: mixture-of-experts
  zh: 混合专家
  en: mixture of experts
  abbr: {abbr}
  zh_def: 由许多小专家组成的层。
  en_def: A layer of many small experts.
  page: moe.md#moe
- id: router
  zh: {router_zh}
  en: router
  zh_def: 挑选专家的小网络。
  en_def: The small network that picks the experts.
  page: moe.md#moe
"""
PAGES = {  # both use both terms
    "zh/moe.md": "# 混合专家 { #moe }\n\n混合专家的路由器挑选专家。\n",
    "en/moe.md": "# Mixture of experts { #moe }\n\nThe mixture of experts' router picks experts.\n",
}
INVALID_ZH = ("Glossary file 'data/glossary.yml' (line 8), entry 'router': field 'zh' must be text, but it is a number "
              "(123; quote it if you meant the text).")
CLASH = ("Glossary file 'data/glossary.yml' (line 8), entry 'router': field 'en' is the abbreviation of entry "
         "'mixture-of-experts' (line 1).")


def test_a_term_taking_the_left_out_entrys_spelling_is_no_finding(tmp_path):
    """MoE is kept with the abbreviation 'router'; the entry 'router' is left out. The English
    'router' now reads as MoE, the Chinese 路由器 as nothing: not a page's fault."""
    glossary, problems = load_glossary(tmp_path, TWO.format(abbr="router", router_zh="路由器"))
    assert [p.message for p in problems] == [CLASH]
    assert [t.id for t in glossary.terms] == ["mixture-of-experts"]
    tree = {"zh/moe.md": "# 混合专家 { #moe }\n\n路由器挑选专家。\n", "en/moe.md": "# MoE { #moe }\n\nThe router picks experts.\n"}
    assert [str(f) for f in checks.check_site(pages(tree), ["zh", "en"], glossary=glossary, root=tmp_path)] == []


def test_a_term_that_shares_no_spelling_with_the_left_out_entry_is_still_checked(tmp_path):
    glossary, _ = load_glossary(tmp_path, TWO.format(abbr="MoE", router_zh="123"))
    tree = {**PAGES, "zh/moe.md": "# 混合专家 { #moe }\n\n路由器挑选专家。\n"}
    assert [str(f) for f in checks.check_site(pages(tree), ["zh", "en"], glossary=glossary, root=tmp_path)] == [
        "Doc file 'zh/moe.md' never uses the glossary term '混合专家' (entry 'mixture-of-experts'), which its "
        "counterpart 'en/moe.md' uses (line 3)."]


@pytest.mark.build
def test_links_to_the_left_out_entry_are_no_finding_in_a_build(small_site):
    glossary = small_site / "data" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("  zh: 路由器", "  zh: 123"), encoding="utf-8")
    for lang, text in (("zh", "\n见[路由器](glossary.md#router)。\n"), ("en", "\nSee [router](glossary.md#router).\n")):
        page = small_site / "docs" / lang / "moe.md"
        page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")
    result = build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert warnings(result) == [f"WARNING -  r1docs: {INVALID_ZH}"]
