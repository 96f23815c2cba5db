"""Damaged page files: an empty page, a control character (a NUL from a bad copy). One finding
naming the file, and nothing that only follows from it."""

import pytest
from support import build, pages, warnings

from r1docs import checks
from r1docs.settings import HOUSE

PAIR = {
    "zh/index.md": "# 首页 { #top }\n\n## 路由 { #routing }\n\n正文。\n",
    "en/index.md": "# Home { #top }\n\n## Routing { #routing }\n\nText.\n",
}


def run(tree):
    return [str(f) for f in checks.check_site(pages(tree), ["zh", "en"], {"zh": ["index.md"], "en": ["index.md"]},
                                             settings=HOUSE)]


@pytest.mark.parametrize("text", ["", "\n\n  \n"], ids=["zero-bytes", "blank-lines"])
def test_empty_page_is_one_finding(text):
    assert run({**PAIR, "en/index.md": text}) == [
        "Doc file 'en/index.md' is empty: write the page, or remove it (and its nav entry)."]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"], ids=["nul", "escape", "delete"])
def test_control_character(char):
    tree = {**PAIR, "en/index.md": PAIR["en/index.md"].replace("Text.", f"Te{char}xt.")}
    assert run(tree) == [f"Doc file 'en/index.md' (line 5) contains the control character U+{ord(char):04X}: remove it "
                         "(a damaged file?)."]


def test_tabs_form_feeds_and_crlf_are_whitespace():
    tree = {lang: text.replace("\n", "\r\n").replace("Text.", "Text.\t\f").replace("正文。", "正文。\t\f") for lang, text in PAIR.items()}
    assert run(tree) == []


@pytest.mark.build
def test_empty_page_in_one_language_in_a_build(small_site):
    (small_site / "docs" / "en" / "moe.md").write_text("", encoding="utf-8")
    result = build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert warnings(result) == [
        "WARNING -  r1docs: Doc file 'en/moe.md' is empty: write the page, or remove it (and its nav entry)."]


def test_claims_list_not_utf8(tmp_path):
    from r1docs import claims_coverage

    path = tmp_path / "claims.yml"
    path.write_bytes(b"articles:\n  A: a.md\n\xff\n")
    claims, findings = claims_coverage.load(path)
    assert claims is None
    assert [str(f) for f in findings] == [
        "Data file 'data/claims.yml' (line 3) is not valid UTF-8 (byte 0xff): save it as UTF-8."]


@pytest.mark.parametrize("heading, message", [
    ("## Two words { #two words }", "has the heading attributes '{ #two words }', where 'words' is no id, class or "
                                    "key=value (the id is '#two'): an id has no spaces, write '#two-words'."),
    ("## Twice { #x #y }", "gives its heading 2 ids (#x, #y); Python-Markdown keeps only the last: keep one."),
    ("Setext { #s t }\n---", "has the heading attributes '{ #s t }', where 't' is no id, class or key=value (the id is "
                             "'#s'): an id has no spaces, write '#s-t'."),
], ids=["space-in-id", "two-ids", "setext"])
def test_heading_attributes_read_otherwise_than_they_look(heading, message):
    text = f"# Home {{ #top }}\n\n{heading}\n\nText.\n"
    assert run({"zh/index.md": text.replace("Text.", "正文。"), "en/index.md": text}) == [
        f"Doc file '{lang}/index.md' (line 3) {message}" for lang in ("en", "zh")]


def test_heading_attributes_as_meant_are_no_finding():
    text = "# Home { #top }\n\n## A { #a .wide data-x=\"1 2\" }\n\nText.\n"
    assert run({"zh/index.md": text.replace("Text.", "正文。"), "en/index.md": text}) == []


@pytest.mark.parametrize("front, line, problem", [
    ("---\ntitle: [\n---\n", 3, "has front matter that is not valid YAML (expected the node content, but found '<stream end>')"),
    ("---\n- a\n- b\n---\n", 1, "has front matter that is not a mapping of keys (like 'title: ...')"),
], ids=["not-yaml", "not-a-mapping"])
def test_front_matter_mkdocs_would_show_as_text(front, line, problem):
    tree = {lang: front + "\n" + text for lang, text in PAIR.items()}
    assert run(tree) == [f"Doc file '{lang}/index.md' (line {line}) {problem}: MkDocs would show it as text; fix it, "
                         "or remove it." for lang in ("en", "zh")]


def test_front_matter_as_meant_is_no_finding():
    assert run({lang: "---\ntitle: A\n---\n\n" + text for lang, text in PAIR.items()}) == []


@pytest.mark.build
def test_a_page_missing_in_one_language_is_its_own_finding_only(small_site):
    """Not also one per glossary entry pointing at it, nor MkDocs' warning per link to it."""
    (small_site / "docs" / "en" / "moe.md").unlink()
    result = build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert warnings(result) == [
        "WARNING -  r1docs: Doc file 'en/moe.md' is missing: its counterpart 'zh/moe.md' exists. Translate it, or remove both.",
        "WARNING -  A reference to 'moe.md' is included in the 'nav' configuration, which is not found in the documentation files."]


@pytest.mark.build
def test_a_language_without_a_folder_is_one_finding_of_ours(small_site):
    config = small_site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "        - locale: en\n", "        - locale: ja\n          name: 日本語\n          build: true\n        - locale: en\n"),
        encoding="utf-8")
    result = build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert [w for w in warnings(result) if "r1docs" in w] == [
        "WARNING -  r1docs: Language 'ja' is configured, but the docs have no folder 'ja/' with pages: add its pages there, "
        "or remove the language."]


def test_page_not_utf8_in_the_checker_names_the_line_as_the_build_does(small_site):
    import subprocess
    import sys

    from support import ROOT

    page = small_site / "docs" / "zh" / "moe.md"
    page.write_bytes(page.read_bytes() + b"\ncaf\xe9\n")
    line = page.read_bytes().count(b"\n")
    result = subprocess.run([sys.executable, "-m", "r1docs", "."], cwd=small_site, capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "hooks")})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"ERROR   -  Doc file 'zh/moe.md' (line {line}) is not valid UTF-8 (byte 0xe9): save it as UTF-8."
