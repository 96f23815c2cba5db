"""Bad glossary data: one finding per fault, naming the file, line, entry and field, with
the fix; a wrong type is never called "missing"; nothing raises but unreadable files."""

import pytest
from conftest import load_glossary

from r1docs import glossary as g

ENTRY = ("- id: {id}\n  zh: {zh}\n  en: {en}\n  zh_def: 定义。\n  en_def: Definition.\n  page: moe.md\n")
A = ENTRY.format(id="a", zh="甲", en="alpha")
PREFIX = "Glossary file 'data/glossary.yml' (line 1), entry 'a': "


def one(tmp_path, text: str, languages=g.LANGUAGES) -> str:
    glossary, problems = load_glossary(tmp_path, text, languages)
    assert len(problems) == 1, [p.message for p in problems]
    message = problems[0].message
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (A.replace("en: alpha", 'en: "-"'), "field 'en' has no letter or digit, so no page can use it: write the term."),
        (A.replace("page: moe.md", "page: /moe/"),
         "field 'page' must name a doc file of each language, like 'moe.md' or 'moe.md#routing', not '/moe/'."),
        (A.replace("page: moe.md", "page: 'javascript:alert(1)'"),
         "field 'page' must name a doc file of each language, like 'moe.md' or 'moe.md#routing', not 'javascript:alert(1)'."),
        (A + "  en: again\n", "field 'en' is given 2 times: keep one (YAML would keep only the last)."),
        (A + "  avoid: {en: ['--']}\n", "field 'avoid', 'en' spelling 1 has no letter or digit: write the spelling."),
        (A.replace("zh: 甲", "zh: 123"), "field 'zh' must be text, but it is a number (123; quote it if you meant the text)."),
        (A.replace("en: alpha", "en: no"), "field 'en' must be text, but it is a boolean (false; quote it if you meant the word)."),
        (A.replace("page: moe.md", "page: [moe.md]"), "field 'page' must be text, but it is a list."),
        (A + "  abbr: [MoE, X]\n", "field 'abbr' must be text, but it is a list."),
        (A.replace("en: alpha", 'en: "routed\\nexpert"'), "field 'en' must be one line, but it spans 2."),
        (A.replace("en_def: Definition.", 'en_def: "bad\\x02wzxhzdk:0\\x03"'),
         "field 'en_def' contains the control character U+0002: remove it."),
        (A + "  avoid: [alfa]\n", "field 'avoid' must map a language (zh, en) to a list of spellings, but it is a list."),
        (A + "  avoid: {en: alfa}\n", "field 'avoid' must map a language (zh, en) to a list of spellings, but 'en' is str."),
        (A + "  avoid: {ja: [x]}\n", "field 'avoid' must map a language (zh, en) to a list of spellings; 'ja' is not one of the site's languages."),
        (A + "  avoid: {zh: ['']}\n", "field 'avoid', 'zh' spelling 1 must be non-empty text, but it is empty."),
        (A + "  avoid: {en: [null]}\n", "field 'avoid', 'en' spelling 1 must be non-empty text, but it is empty (null)."),
        (A + "  avoid: {en: [ok, 12]}\n", "field 'avoid', 'en' spelling 2 must be non-empty text, but it is a number (12; quote it if you meant the text)."),
        (A + "  avoid: {en: [Alpha]}\n", "field 'avoid', 'en' spelling 'Alpha' is the term itself: a spelling cannot be both the term and one to avoid."),
        (A.replace("en_def: Definition.", "en_def: " + "x" * 501),
         "field 'en_def' is 501 characters long; a definition is its tooltip on every page, keep it under 500."),
    ],
    ids=["wordless-term", "page-not-a-doc-file", "page-javascript", "duplicate-key", "avoid-wordless",
         "number-term", "boolean-term", "list-page", "list-abbr", "multi-line-term", "control-character",
         "avoid-not-mapping", "avoid-not-list", "avoid-unknown-language", "avoid-empty-spelling", "avoid-null",
         "avoid-number", "avoid-the-term-itself", "definition-too-long"],
)
def test_field_of_wrong_shape(tmp_path, text, expected):
    assert one(tmp_path, text) == PREFIX + expected


def test_id_of_wrong_type_is_not_called_missing(tmp_path):
    assert one(tmp_path, A.replace("id: a", "id: 123")) == (
        "Glossary file 'data/glossary.yml' (line 1), entry: field 'id' must be text, but it is a number "
        "(123; quote it if you meant the text).")


def test_id_with_trailing_newline_is_matched_in_full(tmp_path):
    assert one(tmp_path, A.replace("id: a", 'id: "a\\n"')) == PREFIX + "field 'id' has a space or line break around it: write 'a'."


def test_abbreviations_unique_and_not_a_term(tmp_path):
    b = ENTRY.format(id="b", zh="乙", en="beta") + "  abbr: MoE\n"
    c = ENTRY.format(id="c", zh="丙", en="gamma") + "  abbr: MoE\n"
    d = ENTRY.format(id="d", zh="丁", en="delta") + "  abbr: alpha\n"
    _, problems = load_glossary(tmp_path, A + b + c + d)
    assert [p.message for p in problems] == [
        "Glossary file 'data/glossary.yml' (line 14), entry 'c': field 'abbr' repeats the abbreviation 'MoE' of entry 'b' (line 7).",
        "Glossary file 'data/glossary.yml' (line 21), entry 'd': field 'abbr' is the term 'alpha' of entry 'a' (line 1); "
        "an abbreviation must not be another term.",
    ]


def test_term_equal_to_an_earlier_abbreviation(tmp_path):
    b = ENTRY.format(id="b", zh="乙", en="beta") + "  abbr: GRPO\n"
    c = ENTRY.format(id="c", zh="丙", en="GRPO")
    _, problems = load_glossary(tmp_path, b + c)
    assert [p.message for p in problems] == [
        "Glossary file 'data/glossary.yml' (line 8), entry 'c': field 'en' is the abbreviation of entry 'b' (line 1)."]


@pytest.mark.parametrize("text", ["[]\n", "# only a comment\n"], ids=["empty-list", "empty-file"])
def test_empty_glossary(tmp_path, text):
    assert one(tmp_path, text) == ("Glossary file 'data/glossary.yml' has no entries: add the site's terms (- id: ...), "
                                   "or remove the file.")


def test_not_utf8_names_the_file_and_line(tmp_path):
    (tmp_path / "glossary.yml").write_bytes(A.encode() + "  abbr: caf\xe9\n".encode("latin-1"))
    with pytest.raises(g.GlossaryError) as error:
        g.load(tmp_path / "glossary.yml", "data/glossary.yml")
    assert str(error.value) == "Glossary file 'data/glossary.yml' (line 7) is not valid UTF-8 (byte 0xe9): save it as UTF-8."


def test_a_site_language_the_glossary_lacks_is_one_finding(tmp_path):
    glossary, problems = load_glossary(tmp_path, A, ("zh", "en", "ja"))
    assert [p.message for p in problems] == [
        "Glossary file 'data/glossary.yml' has no terms in the language 'ja': give every entry the fields 'ja' and 'ja_def'."]
    assert [t.id for t in glossary.terms] == ["a"]
    # Every use of the glossary works for that language too: it simply has no terms.
    assert list(glossary.finder("ja", "alpha 甲")("alpha 甲")) == [] and list(glossary.avoided("ja", "x")) == []
    assert glossary.terms[0].name("ja") == "" and glossary.terms[0].forms("ja") == []


def test_deeply_nested_yaml_is_one_line(tmp_path):
    (tmp_path / "glossary.yml").write_text("[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(g.GlossaryError) as error:
        g.load(tmp_path / "glossary.yml", "data/glossary.yml")
    assert str(error.value) == "Glossary file 'data/glossary.yml' is nested too deeply to read: it must be a list of flat entries."
