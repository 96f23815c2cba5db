"""Claims coverage: the list of article claims, and their rows on the claims page of each language."""

import textwrap

import pytest
from support import ROOT, pages

from r1docs import claims_coverage as cc

LANGS = ("zh", "en")
GOOD_LIST = """
articles:
  A: 000_5dcbdab0ffa93d2f.txt
  B: 003_89551735c3d5a2d0.txt
claims:
  - {at: "A:54", row: claim-a54, says: R1 was trained on top of R1-Zero}
  - {at: "A:90", row: claim-a54, says: the same claim restated}
  - {at: "B:38", row: claim-b38, says: students almost as good as the teacher}
"""
ZH = """
# 说法核查 { #claims }

**A:54** · R1 在 R1-Zero 的基础上训练。 { #claim-a54 }
:   **错误。** 见 R1 §2.3。

**B:38** · 学生几乎和老师一样好。 { #claim-b38 }
:   **误导。**
"""
EN = """
# Claims checked { #claims }

**A:54** · R1 was trained on top of R1-Zero. { #claim-a54 }
:   **Wrong.** See R1 §2.3.

**B:38** · Students are almost as good as the teacher. { #claim-b38 }
:   **Misleading.**
"""


def write(tmp_path, text: str):
    path = tmp_path / "claims.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def messages(tmp_path, list_text: str = GOOD_LIST, zh: str = ZH, en: str = EN) -> list[str]:
    tree = pages({"zh/claims.md": zh, "en/claims.md": en, "zh/a.md": "# 甲 { #a }\n", "en/a.md": "# A { #a }\n"})
    return [f.message for f in cc.check_project(write(tmp_path, list_text), tree, LANGS)]


def test_complete_coverage_has_no_findings(tmp_path):
    assert messages(tmp_path) == []


# --- coverage faults ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zh", "en", "expected"),
    [
        pytest.param(
            ZH, EN.replace("{ #claim-a54 }", ""),
            "Doc file 'en/claims.md' has no row '#claim-a54' for claims A:54, A:90 listed in 'data/claims.yml'; "
            "add it, or remove the claim from the list.",
            id="row-missing-in-en"),
        pytest.param(
            ZH.replace("{ #claim-b38 }", "{ #claim-b83 }"), EN,
            ["Doc file 'zh/claims.md' (line 6) has a row '#claim-b83' that no claim in 'data/claims.yml' maps to; "
             "list the claim it checks, or remove the row.",
             "Doc file 'zh/claims.md' has no row '#claim-b38' for claim B:38 listed in 'data/claims.yml'; "
             "add it, or remove the claim from the list."],
            id="row-renamed-in-zh"),
        pytest.param(
            ZH, EN + "\n**B:99** · An extra claim. { #claim-b99 }\n:   **Correct.**\n",
            "Doc file 'en/claims.md' (line 9) has a row '#claim-b99' that no claim in 'data/claims.yml' maps to; "
            "list the claim it checks, or remove the row.",
            id="row-not-listed"),
        pytest.param(
            ZH, EN.replace("**A:54** · R1 was trained on top of R1-Zero. { #claim-a54 }",
                           "```text\n**A:54** · R1 was trained on top of R1-Zero. { #claim-a54 }\n```"),
            "Doc file 'en/claims.md' has no row '#claim-a54' for claims A:54, A:90 listed in 'data/claims.yml'; "
            "add it, or remove the claim from the list.",
            id="row-inside-code-does-not-count"),
    ],
)
def test_each_listed_claim_needs_its_row_in_both_languages(tmp_path, zh, en, expected):
    assert sorted(messages(tmp_path, zh=zh, en=en)) == sorted(expected if isinstance(expected, list) else [expected])


def test_a_claim_missing_from_both_languages_is_reported_for_each(tmp_path):
    listed = GOOD_LIST + '  - {at: "B:125", row: claim-b125, says: the aha moment is sudden understanding}\n'
    assert messages(tmp_path, listed) == [
        f"Doc file '{lang}/claims.md' has no row '#claim-b125' for claim B:125 listed in 'data/claims.yml'; "
        "add it, or remove the claim from the list." for lang in LANGS]


def test_missing_list_fails_instead_of_passing_silently(tmp_path):
    tree = pages({"zh/claims.md": ZH, "en/claims.md": EN})
    found = [f.message for f in cc.check_project(tmp_path / "absent.yml", tree, LANGS)]
    assert found == [
        f"Doc file '{lang}/claims.md' has no coverage list: 'data/claims.yml' is missing. Restore it; it maps "
        "every article claim to its row on this page." for lang in LANGS]


def test_a_tree_without_claims_page_is_not_checked(tmp_path):
    tree = pages({"zh/a.md": "# 甲 { #a }\n", "en/a.md": "# A { #a }\n"})
    assert cc.check_project(tmp_path / "absent.yml", tree, LANGS) == []


# --- malformed lists ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("articles: [unclosed\n", "Data file 'data/claims.yml' (line 2) is not valid YAML: ",
                     id="not-yaml"),
        pytest.param("- {at: 'A:54', row: claim-a54}\n",
                     "Data file 'data/claims.yml' must be a mapping with exactly two keys, 'articles' "
                     "(letter: archived file name) and 'claims' (a list of {at, row, says}).",
                     id="not-a-mapping"),
        pytest.param("articles: {A: 000.txt}\nclaims: {at: 'A:54'}\n",
                     "Data file 'data/claims.yml' (line 2): 'claims' must be a list of entries "
                     "(- {at: 'A:54', row: claim-a54, says: ...}).",
                     id="claims-not-a-list"),
        pytest.param("articles: {A: 000.md}\nclaims: []\n",
                     "Data file 'data/claims.yml' (line 1): article 'A' must be one capital letter mapped to a "
                     "'.txt' file name, not '000.md'.",
                     id="bad-article"),
        pytest.param("articles: {A: 000.txt}\nclaims:\n  - {at: 'A54', row: claim-a54, says: x}\n",
                     "Data file 'data/claims.yml', entry 1 (line 3): 'at' must look like 'A:54' (article letter, "
                     "colon, line number), not 'A54'.",
                     id="bad-at"),
        pytest.param("articles: {A: 000.txt}\nclaims:\n  - {at: 'C:5', row: claim-c5, says: x}\n",
                     "Data file 'data/claims.yml', entry 1 (line 3): 'at' names article 'C', which 'articles' "
                     "does not list.",
                     id="unknown-article"),
        pytest.param("articles: {A: 000.txt}\nclaims:\n  - {at: 'A:5', row: Claim_A5, says: x}\n",
                     "Data file 'data/claims.yml', entry 1 (line 3): 'row' must be an id like 'claim-a54' "
                     "(lowercase, starting 'claim-'), not 'Claim_A5'.",
                     id="bad-row"),
        pytest.param("articles: {A: 000.txt}\nclaims:\n  - {at: 'A:5', says: x}\n",
                     "Data file 'data/claims.yml', entry 1 (line 3): 'row' is missing or empty.",
                     id="row-missing"),
        pytest.param("articles: {A: 000.txt}\nclaims:\n  - {at: 'A:5', row: claim-a5, says: x, verdict: Wrong}\n",
                     "Data file 'data/claims.yml', entry 1 (line 3): unknown field 'verdict'; the fields are "
                     "'at', 'row' and 'says'.",
                     id="unknown-field"),
        pytest.param("articles: {A: 000.txt}\nclaims:\n  - A:5\n",
                     "Data file 'data/claims.yml', entry 1 (line 3) must be a mapping with 'at', 'row' and 'says'.",
                     id="entry-not-a-mapping"),
        pytest.param("articles: {A: 000.txt}\nclaims:\n  - {at: 'A:5', row: claim-a5, says: x}\n"
                     "  - {at: 'A:5', row: claim-a5, says: y}\n",
                     "Data file 'data/claims.yml', entry 2 (line 4) repeats entry 1 (A:5 -> claim-a5); "
                     "remove one of them.",
                     id="duplicate"),
    ],
)
def test_malformed_list_is_one_line_naming_file_and_entry(tmp_path, text, expected):
    found = messages(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(expected) and "\n" not in found[0]


def test_check_site_runs_the_coverage_check(tmp_path, monkeypatch):
    from r1docs import checks

    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", GOOD_LIST)
    tree = pages({"zh/claims.md": ZH, "en/claims.md": EN.replace("{ #claim-b38 }", "")})
    found = [f.message for f in checks.check_site(tree, LANGS)]
    assert found == ["Doc file 'en/claims.md' has no row '#claim-b38' for claim B:38 listed in 'data/claims.yml'; "
                     "add it, or remove the claim from the list."]


def test_the_repository_list_is_complete():
    """The committed list and the committed claims pages agree (no finding)."""
    tree = [page for lang in LANGS for page in pages({f"{lang}/claims.md": (ROOT / "docs" / lang / "claims.md").read_text(encoding="utf-8")})]
    claims, problems = cc.load(ROOT / cc.LIST_FILE)
    assert problems == [] and len(claims.claims) > 100
    assert cc.check(claims, tree, LANGS) == []
