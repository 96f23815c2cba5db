"""The glossary: data validation, CJK-aware matching, term checks (tooltips and the glossary page:
tests/bad_input/tooltips, tests/bad_input/glossary_page)."""

import json
import re
import textwrap

import pytest
from support import pages

from r1docs import checks, glossary as g
from r1docs.document import Document

GOOD = """
- id: moe
  zh: 混合专家
  en: mixture of experts
  abbr: MoE
  zh_def: 每个 token 只激活部分专家的架构。
  en_def: An architecture that activates only some experts per token.
  page: moe.md#moe
  avoid: {zh: [专家混合]}
- id: moe-model
  zh: 混合专家模型
  en: mixture-of-experts model
  zh_def: 采用混合专家架构的模型。
  en_def: A model built from mixture-of-experts layers.
  page: moe.md
- id: shared-expert
  zh: 共享专家
  en: shared expert
  zh_def: 每个 token 都经过的专家。
  en_def: An expert every token passes through.
  page: moe.md#moe
"""


def load(tmp_path, text: str):
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return g.load(path, "data/glossary.yml")


@pytest.fixture
def glossary(tmp_path):
    glossary, problems = load(tmp_path, GOOD)
    assert problems == []
    return glossary


# --- data errors ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- id: moe\n  zh: [unclosed\n", "Glossary file 'data/glossary.yml' (line 3) is not valid YAML: "),
        ("id: moe\n", "Glossary file 'data/glossary.yml' must be a YAML list of entries (- id: ...), not a mapping."),
    ],
    ids=["malformed-yaml", "not-a-list"],
)
def test_unreadable_data_is_one_line_error(tmp_path, text, expected):
    with pytest.raises(g.GlossaryError) as error:
        load(tmp_path, text)
    assert str(error.value).startswith(expected) and "\n" not in str(error.value)


ENTRY = "  zh: {zh}\n  en: {en}\n  zh_def: 定义。\n  en_def: Definition.\n  page: moe.md\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- id: a\n  zh: 甲\n  en: a\n  zh_def: 定义。\n  page: moe.md\n",
         "Glossary file 'data/glossary.yml' (line 1), entry 'a': field 'en_def' is missing or empty."),
        ("- id: a\n" + ENTRY.format(zh="甲", en="a") + "- id: a\n" + ENTRY.format(zh="乙", en="b"),
         "Glossary file 'data/glossary.yml' (line 7), entry 'a': duplicate id, first defined at line 1."),
        ("- id: a\n" + ENTRY.format(zh="甲", en="a") + "- id: b\n" + ENTRY.format(zh="甲", en="b"),
         "Glossary file 'data/glossary.yml' (line 7), entry 'b': field 'zh' repeats the term '甲' of entry 'a' (line 1)."),
        ("- id: a\n" + ENTRY.format(zh="甲", en="a") + "  colour: red\n",
         "Glossary file 'data/glossary.yml' (line 1), entry 'a': unknown field 'colour'; the fields are id, zh, en, zh_def, en_def, page, abbr, avoid."),
        ("- id: A b\n" + ENTRY.format(zh="甲", en="a"),
         "Glossary file 'data/glossary.yml' (line 1), entry 'A b': field 'id' must be lowercase ASCII letters, digits and hyphens, starting with a letter."),
        ("- just a string\n",
         "Glossary file 'data/glossary.yml' (line 1), entry is not a mapping: write 'id:', 'zh:', 'en:', 'zh_def:', 'en_def:', 'page:'."),
    ],
    ids=["missing-field", "duplicate-id", "duplicate-term", "unknown-field", "bad-id", "not-a-mapping"],
)
def test_entry_errors_name_file_line_entry_and_field(tmp_path, text, expected):
    _, problems = load(tmp_path, text)
    assert [p.message for p in problems] == [expected]


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        ({"zh/moe.md": {"moe"}}, "entry 'moe': field 'page' names 'moe.md', but the doc file 'en/moe.md' does not exist."),
        ({"zh/moe.md": {"x"}, "en/moe.md": {"x"}}, "entry 'moe': field 'page' names the anchor '#moe', which the doc file 'zh/moe.md' does not have."),
    ],
    ids=["topic-page-missing", "topic-anchor-missing"],
)
def test_topic_page_must_exist(glossary, headings, expected):
    messages = [f.message for f in g.check_targets(glossary, headings, ("zh", "en"))]
    assert f"Glossary file 'data/glossary.yml' (line 1), {expected}" in messages


# --- matching ------------------------------------------------------------------------------
def found(glossary, lang, text):
    return [(m[0], term) for m, term in glossary.finder(lang, text)(text)]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("zh", "采用MoE架构", [("MoE", "moe")]),
        ("zh", "混合专家模型很大", [("混合专家模型", "moe-model")]),
        ("zh", "混合专家与共享专家", [("混合专家", "moe"), ("共享专家", "shared-expert")]),
        ("en", "Two shared experts and a Mixture of Experts.", [("shared experts", "shared-expert"), ("Mixture of Experts", "moe")]),
        ("en", "MoEs and moe", [("MoE", "moe")][:0] or []),
        ("en", "nonshared expertise", []),
    ],
    ids=["abbr-inside-cjk", "longest-first", "two-terms", "plural-and-case", "abbr-is-case-sensitive", "no-partial-words"],
)
def test_term_matching(glossary, lang, text, expected):
    assert found(glossary, lang, text) == expected


# --- term checks ---------------------------------------------------------------------------
def test_avoided_variant_is_reported(glossary):
    page = pages({"zh/moe.md": "# 标题 { #moe }\n\n专家混合是错的叫法。\n"})[0]
    assert [f.message for f in g.check_avoided(glossary, page, Document(page.text))] == [
        "Doc file 'zh/moe.md' (line 3) writes '专家混合': use the glossary term '混合专家' (entry 'moe') instead."]


def test_term_used_on_one_side_only_and_unused_terms(glossary):
    tree = pages({
        "zh/moe.md": "# 混合专家 { #moe }\n\n混合专家与共享专家。\n",
        "en/moe.md": "# MoE { #moe }\n\nA mixture of experts.\n",
    })
    messages = [f.message for f in checks.check_site(tree, ("zh", "en"), glossary=glossary)]
    assert messages == [
        "Glossary file 'data/glossary.yml' (line 9), entry 'moe-model' is used by no page: use the term on its topic page or remove the entry.",
        "Doc file 'en/moe.md' never uses the glossary term 'shared expert' (entry 'shared-expert'), which its counterpart 'zh/moe.md' uses (line 3).",
    ]


# --- The disk cache of the validated glossary ----------------------------------------------------
def _cached(tmp_path, text: str):
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return g.load_cached(path, "data/glossary.yml", cache_dir=tmp_path / "cache")


def _summary(glossary, findings):
    return ([(t.id, t.names, t.definitions, t.page, t.line, t.abbr, t.avoid) for t in glossary.terms],
            [(f.file, f.line, f.message) for f in findings],
            {lang: [t.id for t in glossary.ordered(lang)] for lang in glossary.languages},
            glossary.dropped)  # entries left out for their problem: the checks need them to skip knock-ons


def test_cached_glossary_is_the_loaded_one(tmp_path, monkeypatch):
    text = GOOD + "- id: bad\n  zh: 坏\n"  # a finding is cached along with the terms
    fresh = _summary(*load(tmp_path, text))
    assert _summary(*_cached(tmp_path, text)) == fresh
    # The second build reads the cache: neither YAML nor pinyin is touched.
    monkeypatch.setattr(g, "load", lambda *a, **k: pytest.fail("the glossary file was parsed again"))
    monkeypatch.setattr(g, "sort_key", lambda *a, **k: pytest.fail("a sort key was computed again"))
    assert _summary(*_cached(tmp_path, text)) == fresh
    assert fresh[2]["zh"] == ["shared-expert", "moe", "moe-model"]  # by pinyin: gong, hun, hun…mo
    assert [d.id for d in fresh[3]] == ["bad"]


def test_checker_caches_the_glossary_without_sort_keys_and_a_build_adds_them(tmp_path, monkeypatch):
    """The command line orders no page: it neither computes the pinyin keys nor needs them cached;
    the next build computes them once, keeps them, and the build after reads them."""
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(GOOD).lstrip("\n"), encoding="utf-8")
    fresh = _summary(*load(tmp_path, GOOD))
    sort_key = g.sort_key
    monkeypatch.setattr(g, "sort_key", lambda *a, **k: pytest.fail("the checker computed a sort key"))
    checker = g.load_cached(path, "data/glossary.yml", cache_dir=tmp_path / "cache", sort_keys=False)
    monkeypatch.setattr(g, "load", lambda *a, **k: pytest.fail("the glossary file was parsed again"))
    again, findings = g.load_cached(path, "data/glossary.yml", cache_dir=tmp_path / "cache", sort_keys=False)
    assert [(t.id, t.names, t.definitions, t.page, t.line, t.abbr, t.avoid) for t in again.terms] == fresh[0]
    assert [(f.file, f.line, f.message) for f in findings] == fresh[1]
    monkeypatch.setattr(g, "sort_key", sort_key)
    assert _summary(*_cached(tmp_path, GOOD)) == fresh  # the build: keys computed and kept
    monkeypatch.setattr(g, "sort_key", lambda *a, **k: pytest.fail("a sort key was computed again"))
    assert _summary(*_cached(tmp_path, GOOD)) == fresh
    assert [t.id for t in checker[0].terms] == [t[0] for t in fresh[0]]


def test_changed_glossary_is_loaded_again(tmp_path):
    _cached(tmp_path, GOOD)
    glossary, _ = _cached(tmp_path, GOOD.replace("共享专家", "共用专家"))
    assert glossary.by_id["shared-expert"].zh == "共用专家"


@pytest.mark.parametrize("damage", ["{not json", '{"key": 1}', '[]', '{"key": "%s", "terms": 3}'], ids=["syntax", "stale", "shape", "fields"])
def test_damaged_cache_is_ignored(tmp_path, damage):
    fresh = _summary(*_cached(tmp_path, GOOD))
    cache = tmp_path / "cache" / "glossary.json"
    key = json.loads(cache.read_text(encoding="utf-8"))["key"]
    cache.write_text(damage.replace("%s", key), encoding="utf-8")
    assert _summary(*_cached(tmp_path, GOOD)) == fresh
    assert json.loads(cache.read_text(encoding="utf-8"))["key"] == key  # written again


def test_unwritable_cache_is_skipped(tmp_path):
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    glossary, _ = _cached(tmp_path, GOOD)
    assert [t.id for t in glossary.terms] == ["moe", "moe-model", "shared-expert"]


# --- The matcher: a trie per block, the same matches as the plain alternation ----------------------
FORMS = (("混合专家", "moe", False), ("混合专家模型", "moe-model", False), ("KV 缓存", "kv", False), ("KV", "kv2", False),
         ("shared expert", "shared", True), ("expert", "expert", True), ("expert routing", "routing", True),
         ("MoE", "moe-abbr", False), ("MLA", "mla", False), ("ML", "ml", False))
TEXTS = ["混合专家模型和混合专家，KV 缓存与KV", "Shared-experts and shared experts; expert routingX expert-routing",
         "MoEs, MoE, xMoE, MLA and ML-based, MLAs", "experts expertes EXPERT routing", ""]


@pytest.mark.parametrize("text", TEXTS)
def test_trie_matches_like_the_plain_alternation(text):
    def matches(alternation):
        ordered = sorted(FORMS, key=lambda item: len(item[0]), reverse=True)
        blocks = {"cjk": [], "words": [], "exact": []}
        for number, (form, _, words) in enumerate(ordered):
            kind = "cjk" if g.CJK.search(form) else "words" if words else "exact"
            blocks[kind].append((number, [r"[\s-]" if words and c in " -" else re.escape(c) for c in (form.lower() if words else form)]))
        pattern = re.compile(g._pattern("(?=.)", blocks, alternation))
        return [(m.span(), ordered[int(m.lastgroup[1:])][1]) for m in pattern.finditer(text)]

    assert matches(g._trie) == matches(g._flat)
    pattern, owners = g._compiled(FORMS)
    assert [(m.span(), owners[int(m.lastgroup[1:])]) for m in pattern.finditer(text)] == matches(g._flat)


def test_deeply_nested_forms_fall_back_to_the_plain_alternation():
    forms = tuple(("a" * n, f"t{n}", False) for n in range(1, 700))  # each the start of the next
    pattern, owners = g._compiled(forms)
    assert [owners[int(m.lastgroup[1:])] for m in pattern.finditer("aaa b a")] == ["t3", "t1"]


# --- One search per page: the same first uses as a search per prose segment ------------------------
def _uses_per_segment(glossary, page, scan, linkable=False):
    first = {}
    find = glossary.finder(page.lang)
    for segment in scan.prose:
        if not (linkable and segment.title):
            for m, term_id in find(segment.text):
                first.setdefault(term_id, g.Segment(segment.line, segment.col + m.start(), m[0]))
    return first


@pytest.mark.parametrize(("uri", "text"), [
    ("zh/a.md", "# 标题 { #a }\n\n共享专家\n混合专家模型\n\n!!! note \"混合专家\"\n    MoE和**共享专家**，`混合专家`\n"),
    ("en/a.md", "# Title { #a }\n\nshared\nexperts and MoE\n\nMoE\n\n[Mixture of Experts](b.md) expert\n"),
    ("en/a.md", "# Title { #a }\n\n<p>shared experts</p>\n\nxMoE MoEx MoE\n"),
], ids=["zh-segments-and-title", "en-term-cut-by-segments", "en-html-and-boundaries"])
@pytest.mark.parametrize("linkable", [False, True])
def test_one_search_per_page_finds_the_first_uses_of_a_search_per_segment(glossary, uri, text, linkable):
    page = pages({uri: text})[0]
    scan = Document(page.text)
    assert g.uses(glossary, page, scan, linkable) == _uses_per_segment(glossary, page, scan, linkable)
    assert g.uses(glossary, page, scan, linkable)  # the texts use terms


def test_avoided_spellings_are_found_across_the_page_as_per_segment(glossary):
    page = pages({"zh/moe.md": "# 标题 { #moe }\n\n专家\n混合\n\n前文专家混合。\n"})[0]
    assert [f.line for f in g.check_avoided(glossary, page, Document(page.text))] == [6]
