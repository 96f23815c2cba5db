"""A damaged or hand-edited sync record (docs/.sync-record) is one line naming it, never a
traceback, and never read as "no record" (which would let every stale section pass)."""

import pytest
from support import build, warnings

from r1docs import sync

GOOD = sync.HEADER + "moe.md\t#routing\ten=0123456789 zh=abcdef0123\n"


@pytest.mark.parametrize("content, message", [
    (GOOD + "garbage here\n", "(line 4) is not 'page<TAB>section<TAB>lang=hash ...': run 'make sync' to write it again."),
    (GOOD + "moe.md\t#x\ten= zh=\n", "(line 4) is not 'page<TAB>section<TAB>lang=hash ...': run 'make sync' to write it again."),
    (GOOD.replace("en=0123456789", "en=00123456789"), "(line 3) is not 'page<TAB>section<TAB>lang=hash ...': run 'make sync' "
                                                      "to write it again."),
    (GOOD.encode("utf-8") + b"\xff\n", "(line 4) is not valid UTF-8 (byte 0xff): run 'make sync' to write it again."),
], ids=["garbage-line", "empty-hashes", "hash-edited-by-hand", "not-utf8"])
def test_damaged_record(tmp_path, content, message):
    path = tmp_path / ".sync-record"
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    with pytest.raises(ValueError) as e:
        sync.read_record(path)
    assert str(e.value) == f"Sync record '{path}' {message}"


def test_record_that_is_a_directory(tmp_path):
    (tmp_path / ".sync-record").mkdir()
    with pytest.raises(ValueError) as e:
        sync.read_record(tmp_path / ".sync-record")
    assert str(e.value) == f"Sync record '{tmp_path / '.sync-record'}' is not a file: remove it, then run 'make sync'."


def test_good_record_with_windows_line_ends_and_a_pending_mark(tmp_path):
    path = tmp_path / ".sync-record"
    path.write_bytes(GOOD.replace("zh=abcdef0123", "zh=abcdef0123!").replace("\n", "\r\n").encode())
    assert sync.read_record(path) == {("moe.md", "#routing"): {"en": "0123456789", "zh": "abcdef0123!"}}


@pytest.mark.build
def test_in_a_build_the_record_is_named_as_the_project_names_it(small_site):
    (small_site / "docs" / ".sync-record").write_bytes(b"moe.md\t#x\ten=\xff\n")
    result = build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert warnings(result) == ["ERROR   -  Sync record 'docs/.sync-record' (line 1) is not valid UTF-8 (byte 0xff): run "
                                "'make sync' to write it again."]


def test_make_sync_writes_a_damaged_record_again(small_site):
    import subprocess
    import sys

    from support import ROOT

    record = small_site / "docs" / ".sync-record"
    good = record.read_text(encoding="utf-8")
    record.write_bytes(b"garbage\n\xff\n")
    result = subprocess.run([sys.executable, "-m", "r1docs", "--sync", "."], cwd=small_site, capture_output=True,
                            text=True, env={"PYTHONPATH": str(ROOT / "hooks")})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert record.read_text(encoding="utf-8") == good
