"""Claims coverage: every article claim listed in data/claims.yml has its row on claims.md.

The list maps each claim of the two source articles (its article and line in the archived
text) to the id of the row that gives its verdict. The check reads only the repository: the
list and the claims page of every language. Coverage cannot shrink without editing the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import Finding, Page, not_utf8

LIST_FILE = "data/claims.yml"
CLAIMS_PAGE = "claims.md"
FIELDS = {"at", "row", "says"}
AT = re.compile(r"^(?P<article>[A-Z]):(?P<line>[1-9][0-9]*)$")
ROW = re.compile(r"^claim-[a-z][a-z0-9-]*$")
# A row is any block that ends in an attribute list giving it a claim id: `… { #claim-a54 }`.
ROW_ATTR = re.compile(r"\{:?\s*#(?P<id>claim-[a-z0-9-]+)(?:\s+[^}]*)?\s*\}\s*$")


@dataclass(frozen=True)
class Claim:
    """One listed claim: `at` is 'A:54' (article A, line 54), `row` the id on claims.md."""

    at: str
    row: str
    line: int


@dataclass(frozen=True)
class ClaimList:
    path: str
    articles: dict[str, str]
    claims: tuple[Claim, ...]


def load(path: Path, name: str = LIST_FILE) -> tuple[ClaimList | None, list[Finding]]:
    """The claim list, or None and the findings that say why it cannot be used."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except OSError as e:
        return None, [Finding(name, None, f"Data file '{name}' cannot be read: {e.strerror}.")]
    except UnicodeDecodeError as e:
        return None, [Finding(name, None, not_utf8("Data file", name, path.read_bytes(), e))]
    except yaml.YAMLError as e:
        line = e.problem_mark.line + 1 if getattr(e, "problem_mark", None) else None
        problem = getattr(e, "problem", None) or str(e)
        return None, [Finding(name, line, f"Data file '{name}' (line {line}) is not valid YAML: {problem}.")]
    if not isinstance(root, yaml.MappingNode) or {_scalar(k) for k, _ in root.value} != {"articles", "claims"}:
        return None, [Finding(name, 1, f"Data file '{name}' must be a mapping with exactly two keys, 'articles' "
                                       "(letter: archived file name) and 'claims' (a list of {at, row, says}).")]
    nodes = {_scalar(k): v for k, v in root.value}
    findings: list[Finding] = []
    articles = _articles(nodes["articles"], name, findings)
    claims = _claims(nodes["claims"], articles, name, findings)
    return (None if findings else ClaimList(name, articles, tuple(claims))), findings


def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _articles(node, name: str, findings: list[Finding]) -> dict[str, str]:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode) or not node.value:
        findings.append(Finding(name, line, f"Data file '{name}' (line {line}): 'articles' must map each article "
                                            "letter to its archived file name, e.g. A: 000_5dcbdab0ffa93d2f.txt."))
        return {}
    articles = {}
    for key, value in node.value:
        letter, file = _scalar(key), _scalar(value)
        if not (letter and re.fullmatch(r"[A-Z]", letter) and file and file.endswith(".txt")):
            at = key.start_mark.line + 1
            findings.append(Finding(name, at, f"Data file '{name}' (line {at}): article '{letter}' must be one capital "
                                              f"letter mapped to a '.txt' file name, not '{file}'."))
            continue
        articles[letter] = file
    return articles


def _claims(node, articles: dict[str, str], name: str, findings: list[Finding]) -> list[Claim]:
    if not isinstance(node, yaml.SequenceNode):
        line = node.start_mark.line + 1
        findings.append(Finding(name, line, f"Data file '{name}' (line {line}): 'claims' must be a list of entries "
                                            "(- {at: 'A:54', row: claim-a54, says: ...})."))
        return []
    claims: list[Claim] = []
    seen: dict[tuple[str, str], int] = {}
    for number, entry in enumerate(node.value, start=1):
        line = entry.start_mark.line + 1
        where = f"Data file '{name}', entry {number} (line {line})"
        if not isinstance(entry, yaml.MappingNode):
            findings.append(Finding(name, line, f"{where} must be a mapping with 'at', 'row' and 'says'."))
            continue
        fields = {_scalar(k): _scalar(v) for k, v in entry.value}
        problem = _entry_problem(fields, articles)
        if problem:
            findings.append(Finding(name, line, f"{where}: {problem}"))
            continue
        key = (fields["at"], fields["row"])
        if key in seen:
            findings.append(Finding(name, line, f"{where} repeats entry {seen[key]} ({key[0]} -> {key[1]}); "
                                                "remove one of them."))
            continue
        seen[key] = number
        claims.append(Claim(fields["at"], fields["row"], line))
    return claims


def _entry_problem(fields: dict, articles: dict[str, str]) -> str | None:
    unknown = sorted(str(k) for k in fields if k not in FIELDS)
    if unknown:
        return f"unknown field '{unknown[0]}'; the fields are 'at', 'row' and 'says'."
    for required in ("at", "row", "says"):
        if not fields.get(required):
            return f"'{required}' is missing or empty."
    at = AT.match(fields["at"])
    if not at:
        return f"'at' must look like 'A:54' (article letter, colon, line number), not '{fields['at']}'."
    if at["article"] not in articles:
        return f"'at' names article '{at['article']}', which 'articles' does not list."
    if not ROW.match(fields["row"]):
        return f"'row' must be an id like 'claim-a54' (lowercase, starting 'claim-'), not '{fields['row']}'."
    return None


# A fence opener or closer: rows inside code are examples, not rows.
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})\s*(?P<info>[\w-]*)")


def row_ids(page: Page) -> dict[str, int]:
    """The claim rows of a claims page: id -> line (attribute lists outside code fences)."""
    rows: dict[str, int] = {}
    fence: str | None = None
    for number, raw in enumerate(page.text.split("\n"), start=1):
        opening = FENCE.match(raw)
        if opening:
            mark = opening["fence"]
            if fence is None:
                fence = mark
            elif mark.startswith(fence[0]) and len(mark) >= len(fence) and not opening["info"]:
                fence = None
            continue
        if fence is None:
            found = ROW_ATTR.search(raw)
            if found:
                rows.setdefault(found["id"], number)
    return rows


def check(claims: ClaimList, pages: Iterable[Page], languages: Sequence[str]) -> list[Finding]:
    """Every listed claim has its row on the claims page of every language; every row is listed."""
    by_lang = {p.lang: p for p in pages if p.name == CLAIMS_PAGE and p.lang in languages}
    findings: list[Finding] = []
    wanted: dict[str, list[str]] = {}
    for claim in claims.claims:
        wanted.setdefault(claim.row, []).append(claim.at)
    listed = set(wanted)
    for lang in languages:
        page = by_lang.get(lang)
        if page is None:
            continue
        rows = row_ids(page)
        for row, ats in wanted.items():
            if row not in rows:
                what = f"claim {ats[0]}" if len(ats) == 1 else f"claims {', '.join(ats)}"
                findings.append(Finding(page.uri, None, f"Doc file '{page.uri}' has no row '#{row}' for {what} listed "
                                                        f"in '{claims.path}'; add it, or remove the claim from the list."))
        for row, line in rows.items():
            if row not in listed:
                findings.append(Finding(page.uri, line, f"Doc file '{page.uri}' (line {line}) has a row '#{row}' that no "
                                                        f"claim in '{claims.path}' maps to; list the claim it checks, "
                                                        "or remove the row."))
    return findings


def check_project(path: Path, pages: Iterable[Page], languages: Sequence[str], name: str = LIST_FILE) -> list[Finding]:
    """The whole check for a docs tree: nothing to do without a claims page, else the list must exist."""
    pages = [p for p in pages if p.name == CLAIMS_PAGE and p.lang in languages]
    if not pages:
        return []
    if not path.exists():
        return [Finding(p.uri, None, f"Doc file '{p.uri}' has no coverage list: '{name}' is missing. Restore it; it "
                                     "maps every article claim to its row on this page.") for p in pages]
    claims, findings = load(path, name)
    return findings if claims is None else check(claims, pages, languages)
