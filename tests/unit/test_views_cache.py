"""The parsed-view cache: JSON data only, reused when it fits, ignored when it does not."""

import json
import pickle

import pytest

from support import ROOT  # noqa: F401  (puts hooks/ on sys.path)

from r1docs import document
from r1docs.document import CACHE_FILE, Document, parse_all

PAGES = {
    "zh/a.md": "# 标题 { #top }\n\n见[下一页](b.md#x)，数值 `x` 为 585 亿。\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "en/a.md": "# Title { #top }\n\n!!! note \"Note\"\n    See [the next page](b.md#x): 58.5 billion.\n\n- item\n",
}


def view(doc: Document) -> dict:
    out = {name: getattr(doc, name) for name in document._SHAPES}
    out["table_rows"] = doc.table_rows
    out["sections"] = [(s.key, s.heading, s.start, s.end, s.pending) for s in doc.sections]
    return out


def fresh() -> dict:
    return {uri: view(Document(text)) for uri, text in PAGES.items()}


def cold_parse_all(texts, cache_dir):
    """parse_all as a new process calls it: no views kept in memory from an earlier call."""
    document._RECENT.clear()
    return parse_all(texts, cache_dir)


@pytest.fixture(autouse=True)
def forget_views():
    yield
    document._RECENT.clear()


@pytest.fixture
def no_parse(monkeypatch):
    """Fails the test if a page is parsed (every view must come from the cache)."""
    def refuse(self, text):
        raise AssertionError("parsed a page the cache holds")
    return lambda: monkeypatch.setattr(Document, "__init__", refuse)


def test_second_run_reads_every_view_from_the_cache(tmp_path, no_parse):
    expected = fresh()
    first = cold_parse_all(PAGES, tmp_path)
    assert (tmp_path / CACHE_FILE).is_file() and not list(tmp_path.glob("*.tmp"))
    no_parse()
    second = cold_parse_all(PAGES, tmp_path)
    assert {uri: view(doc) for uri, doc in second.items()} == {uri: view(doc) for uri, doc in first.items()} == expected


def test_cache_is_json_keyed_by_parser_and_content(tmp_path):
    cold_parse_all(PAGES, tmp_path)
    data = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))
    assert data["key"] == document._cache_key() and len(data["views"]) == 2


@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe not utf-8", b"[1, 2]", b'{"key": 1}', b"null",
                                     b'{"key": "other/1+1", "views": {}}'],
                         ids=["empty", "truncated", "not-utf8", "a-list", "wrong-key-type", "null", "other-version"])
def test_damaged_or_foreign_cache_is_ignored_and_rewritten(tmp_path, content):
    (tmp_path / CACHE_FILE).write_bytes(content)
    docs = cold_parse_all(PAGES, tmp_path)
    assert {uri: view(doc) for uri, doc in docs.items()} == fresh()
    assert json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["key"] == document._cache_key()


@pytest.mark.parametrize("damage", [
    lambda v: v.__setitem__("headings", [["1", 1, "Title", "top"]]),   # a line that is not a number
    lambda v: v.__setitem__("prose", [[1, 0, "text"]]),                 # a field missing
    lambda v: v.__setitem__("links", [[1, "t", "b.md", True, "inline", "extra"]]),
    lambda v: v.__setitem__("table_rows", [True]),                      # a bool is not a line
    lambda v: v.__setitem__("blocks", {"1": "list item"}),              # a mapping, not a list
    lambda v: v.pop("code"),                                            # a field left out
    lambda v: v.clear(),
], ids=["line-not-int", "short-row", "long-row", "bool-line", "mapping", "missing-field", "empty-view"])
def test_view_of_the_wrong_shape_is_parsed_again(tmp_path, damage):
    cold_parse_all(PAGES, tmp_path)
    path = tmp_path / CACHE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    for stored in data["views"].values():
        damage(stored)
    path.write_text(json.dumps(data), encoding="utf-8")
    docs = cold_parse_all(PAGES, tmp_path)
    assert {uri: view(doc) for uri, doc in docs.items()} == fresh()
    repaired = json.loads(path.read_text(encoding="utf-8"))["views"]
    assert all(document._load("", stored) is not None for stored in repaired.values())


class _Planted:
    def __reduce__(self):
        return (exec, ("open(__import__('os').environ['R1DOCS_PLANTED'], 'w').write('ran')",))


def test_a_planted_pickle_is_never_loaded(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    monkeypatch.setenv("R1DOCS_PLANTED", str(marker))
    for name in ("r1docs-views.pickle", CACHE_FILE):
        (tmp_path / name).write_bytes(pickle.dumps(_Planted()))
    docs = cold_parse_all(PAGES, tmp_path)
    assert not marker.exists()
    assert {uri: view(doc) for uri, doc in docs.items()} == fresh()


def test_changed_page_is_parsed_again_and_old_views_dropped(tmp_path):
    cold_parse_all(PAGES, tmp_path)
    changed = {**PAGES, "en/a.md": PAGES["en/a.md"] + "\n## More { #more }\n"}
    docs = cold_parse_all(changed, tmp_path)
    assert [h.id for h in docs["en/a.md"].headings] == ["top", "more"]
    assert len(json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["views"]) == 2


def test_unwritable_cache_folder_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    docs = cold_parse_all(PAGES, blocker / "cache")
    assert {uri: view(doc) for uri, doc in docs.items()} == fresh()


def test_unchanged_pages_are_kept_in_memory_between_calls(tmp_path, no_parse):
    """`serve`: a rebuild with no page changed reads neither the cache file nor a page."""
    expected = fresh()
    first = parse_all(PAGES, tmp_path)
    (tmp_path / CACHE_FILE).write_bytes(b"damaged, but not read again")
    no_parse()
    second = parse_all(PAGES, tmp_path)
    assert all(second[uri] is first[uri] for uri in PAGES)
    assert {uri: view(doc) for uri, doc in second.items()} == expected


def test_one_changed_page_is_parsed_the_others_kept(tmp_path):
    first = parse_all(PAGES, tmp_path)
    changed = {**PAGES, "en/a.md": PAGES["en/a.md"] + "\nMore.\n"}
    second = parse_all(changed, tmp_path)
    assert second["zh/a.md"] is first["zh/a.md"] and second["en/a.md"] is not first["en/a.md"]
    stored = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["views"]
    assert len(stored) == 2


def test_gc_is_restored(tmp_path):
    import gc

    assert gc.isenabled()
    parse_all(PAGES, tmp_path)
    assert gc.isenabled()
    gc.disable()
    try:
        parse_all(PAGES, None)
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- The digest, the one-pass check and the derived results -----------------------------------
from r1docs import drift, figures, structure  # noqa: E402,F401  (register their derived results)


def test_an_intact_file_is_not_checked_record_by_record(tmp_path, monkeypatch, no_parse):
    expected = fresh()
    cold_parse_all(PAGES, tmp_path)
    assert document.DIGEST_TAIL.search((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))
    monkeypatch.setattr(document, "_views_valid", lambda views: pytest.fail("checked an intact file"))
    no_parse()
    docs = cold_parse_all(PAGES, tmp_path)
    assert {uri: view(doc) for uri, doc in docs.items()} == expected


def test_a_file_edited_in_place_is_checked_again(tmp_path):
    """The digest no longer fits: each record is checked, the damaged view parsed again."""
    cold_parse_all(PAGES, tmp_path)
    path = tmp_path / CACHE_FILE
    text = path.read_text(encoding="utf-8")
    assert '"headings":[[1,1,"Title","top"]]' in text
    path.write_text(text.replace('"headings":[[1,1,"Title","top"]]', '"headings":[["1",1,"Title","top"]]'), encoding="utf-8")
    docs = cold_parse_all(PAGES, tmp_path)
    assert {uri: view(doc) for uri, doc in docs.items()} == fresh()
    assert document._read_cache(path, document._cache_key())[1]  # written again, with its digest


def test_one_damaged_view_is_parsed_again_the_other_kept(tmp_path, monkeypatch):
    cold_parse_all(PAGES, tmp_path)
    path = tmp_path / CACHE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    damaged = None
    for digest, stored in data["views"].items():
        if stored["headings"][0][2] == "Title":
            stored["prose"] = [[1, "0", "text", False]]
            damaged = digest
    path.write_text(json.dumps(data), encoding="utf-8")
    parsed = []
    original = Document.__init__
    monkeypatch.setattr(Document, "__init__", lambda self, text: (parsed.append(text), original(self, text))[1])
    docs = cold_parse_all(PAGES, tmp_path)
    assert damaged and parsed == [PAGES["en/a.md"]]
    assert {uri: view(doc) for uri, doc in docs.items()} == fresh()


@pytest.mark.parametrize("name", sorted(document.DERIVED))
def test_cached_derived_results_are_those_of_a_fresh_view(tmp_path, name, no_parse):
    expected = {uri: document.DERIVED[name][0](Document(text)) for uri, text in PAGES.items()}
    cold_parse_all(PAGES, tmp_path)
    no_parse()
    docs = cold_parse_all(PAGES, tmp_path)
    assert {uri: document.derive(doc, name) for uri, doc in docs.items()} == expected


@pytest.mark.parametrize("name", sorted(document.DERIVED))
@pytest.mark.parametrize("junk", ["text", [["x"]], {"figures": []}, None], ids=["text", "list", "mapping", "null"])
def test_a_damaged_derived_result_is_computed_again(tmp_path, name, junk):
    expected = {uri: document.DERIVED[name][0](Document(text)) for uri, text in PAGES.items()}
    cold_parse_all(PAGES, tmp_path)
    path = tmp_path / CACHE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    for stored in data["views"].values():
        stored["derived"][name] = junk
    path.write_text(json.dumps(data), encoding="utf-8")
    docs = cold_parse_all(PAGES, tmp_path)
    assert {uri: document.derive(doc, name) for uri, doc in docs.items()} == expected
    repaired = json.loads(path.read_text(encoding="utf-8"))["views"]
    assert sorted(json.dumps(stored["derived"][name]) for stored in repaired.values()) == \
        sorted(json.dumps(result) for result in expected.values())
