"""Sections in step without git: a committed record of each section's hash per language.

`make sync` writes `docs/.sync-record` when both languages say the same thing; afterwards a
section changed in one language only (its hash moved, its counterpart's did not) is a finding
until the other language follows and `make sync` runs again. The record has one line per page
section, sorted, so two branches that touch different sections merge without conflict:

    moe.md  #routing  en=3f2a9c01d4 zh=77b0e1c2aa

A maintainer who cannot translate yet puts `<!-- translation: pending -->` into the stale
section: the build passes, and readers of that language see a notice linking the other one.
The record is a dotfile, so MkDocs does not publish it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .document import PENDING, Document, Section
from .model import Finding, Page, not_utf8

RECORD_FILE = ".sync-record"
HEADER = ("# Sections last known in step across languages: page, section, hash per language.\n"
          "# Written by `make sync` (python -m r1docs --sync); do not edit by hand.\n")

HASH = re.compile(r"[A-Za-z][\w-]*=[0-9a-f]{10}!?")  # one language's hash in a record line
STALE = "!"  # after a hash: the section was pending translation when recorded
TOP = "(top)"  # the text before a page's first heading
Record = dict[tuple[str, str], dict[str, str]]


def section_hash(doc: Document, section: Section) -> str:
    """A hash of the section's text that ignores whitespace and the pending mark."""
    text = "\n".join(doc.lines[section.start - 1 : section.end])
    text = PENDING.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def page_hashes(doc: Document) -> dict[str, tuple[Section, str]]:
    return {s.key: (s, section_hash(doc, s)) for s in doc.sections}


def read_record(path: Path) -> Record | None:
    """The record, or None when there is none yet."""
    if not path.is_file():
        if path.exists():
            raise ValueError(f"Sync record '{path}' is not a file: remove it, then run 'make sync'.")
        return None
    record: Record = {}
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(not_utf8("Sync record", str(path), data, e).replace("save it as UTF-8", "run 'make sync' to write it again")) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(HASH.fullmatch(item) for item in parts[2].split()):
            raise ValueError(f"Sync record '{path}' (line {number}) is not 'page<TAB>section<TAB>lang=hash ...': "
                             f"run 'make sync' to write it again.")
        page, key, hashes = parts
        key = "" if key == TOP else key
        record[(page, key)] = dict(item.split("=", 1) for item in hashes.split() if "=" in item)
    return record


def format_record(record: Record) -> str:
    lines = [f"{page}\t{key or TOP}\t{' '.join(f'{lang}={h}' for lang, h in sorted(hashes.items()))}"
             for (page, key), hashes in sorted(record.items())]
    return HEADER + "".join(line + "\n" for line in lines)


def current(pairs: Mapping[str, Mapping[str, Page]], docs: Mapping[str, Document],
            languages: Sequence[str]) -> Record:
    """The state of every section present in every language of its page."""
    record: Record = {}
    for name, variants in pairs.items():
        if not all(lang in variants for lang in languages):
            continue
        hashes = {lang: page_hashes(docs[variants[lang].uri]) for lang in languages}
        for key in hashes[languages[0]]:
            if all(key in hashes[lang] for lang in languages):
                record[(name, key)] = {lang: hashes[lang][key][1] for lang in languages}
    return record


def updated(old: Record | None, pairs: Mapping[str, Mapping[str, Page]], docs: Mapping[str, Document],
            languages: Sequence[str]) -> Record:
    """The record `make sync` writes: the current state, a section marked pending flagged with
    `!` after its hash (it stays stale until its text changes)."""
    new = current(pairs, docs, languages)
    for (name, key), hashes in new.items():
        for lang in languages:
            found = next((s for s in docs[pairs[name][lang].uri].sections if s.key == key), None)
            if found is not None and found.pending:
                hashes[lang] += STALE
    return new


def check(record: Record | None, pairs: Mapping[str, Mapping[str, Page]], docs: Mapping[str, Document],
          languages: Sequence[str]) -> list[Finding]:
    """Each section changed in some languages since the record but not in others."""
    if record is None:
        return []
    findings = []
    for name, variants in sorted(pairs.items()):
        present = [lang for lang in languages if lang in variants]
        if len(present) < 2:
            continue
        hashes = {lang: page_hashes(docs[variants[lang].uri]) for lang in present}
        for key, (_, _) in hashes[present[0]].items():
            known = record.get((name, key))
            if not known or not all(key in hashes[lang] and lang in known for lang in present):
                continue
            for lang in present:
                section = hashes[lang][key][0]
                if known[lang].endswith(STALE) and hashes[lang][key][1] == known[lang][:-1] and not section.pending:
                    uri = variants[lang].uri
                    findings.append(Finding(uri, section.start,
                        f"Doc file '{uri}' (line {section.start}): section '{key or 'page top'}' was pending translation "
                        f"and has not changed since, but its mark is gone; translate it (or put the mark back), then run 'make sync'."))
            changed = [lang for lang in present if hashes[lang][key][1] != known[lang].rstrip(STALE)]
            stale = [lang for lang in present if lang not in changed]
            if not changed or not stale:
                continue
            for lang in changed:
                section = hashes[lang][key][0]
                for other in stale:
                    if hashes[other][key][0].pending:
                        continue
                    uri, other_uri = variants[lang].uri, variants[other].uri
                    findings.append(Finding(uri, section.start,
                        f"Doc file '{uri}' (line {section.start}): section '{key or 'page top'}' changed since both "
                        f"languages were last in step, but '{other_uri}' did not; update it, then run 'make sync'."))
    return findings


def pending_sections(docs: Mapping[str, Document]) -> dict[str, list[Section]]:
    """uri -> its sections marked pending."""
    return {uri: [s for s in doc.sections if s.pending] for uri, doc in docs.items() if any(s.pending for s in doc.sections)}


def write(path: Path, record: Record) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(format_record(record), encoding="utf-8")
    temporary.replace(path)


def record_path(docs_dir: Path) -> Path:
    return docs_dir / RECORD_FILE


def keys(record: Record) -> Iterable[tuple[str, str]]:
    return record.keys()
