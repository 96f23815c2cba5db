"""The glossary: one YAML file, the single source of every term in both languages.

It validates the data, finds terms in prose (in Chinese text too, where `\\b` does not work),
turns the first use of each term on a page into a link with the definition as its tooltip,
writes the glossary page of each language, and checks how the pages use the terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
import functools
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path

import yaml

from .markdown_scan import Scan, Segment
from .model import Finding, Page

LANGUAGES = ("zh", "en")
REQUIRED = ("id", "zh", "en", "zh_def", "en_def", "page")
OPTIONAL = ("abbr", "avoid")
ID = re.compile(r"^[a-z][a-z0-9-]*$")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class GlossaryError(Exception):
    """The glossary file cannot be read at all (the build cannot go on)."""


@dataclass(frozen=True)
class Term:
    id: str
    zh: str
    en: str
    zh_def: str
    en_def: str
    page: str
    line: int
    abbr: str = ""
    avoid: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return getattr(self, lang)

    def definition(self, lang: str) -> str:
        return getattr(self, f"{lang}_def")

    def forms(self, lang: str) -> list[str]:
        """The spellings that count as a use of the term in `lang`."""
        return [x for x in (self.name(lang), self.abbr) if x]


@dataclass
class Glossary:
    path: str
    terms: list[Term]

    @cached_property
    def by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}

    def forms(self, lang: str) -> list[tuple[str, str, bool]]:
        """(form, term id, is an English word) for every spelling that counts as a use."""
        return [(form, t.id, lang == "en" and form == t.en) for t in self.terms for form in t.forms(lang)]

    def finder(self, lang: str, page_text: str) -> Callable[[str], Iterator[tuple[re.Match, str]]]:
        """A term finder for the prose of one page: (match, term id), longest form first.

        One alternation of every form is slow to try at every position of every page, so it
        is built from the forms whose first word occurs in the page at all (most pages use a
        few dozen of the terms), and compiled once per such set.
        """
        folded = page_text.casefold()
        present = tuple(f for f in self.forms(lang) if re.split(r"[ -]", f[0].casefold())[0] in folded)
        pattern, owners = _compiled(present)

        def find(text: str) -> Iterator[tuple[re.Match, str]]:
            for m in pattern.finditer(text):
                yield m, owners[int(m.lastgroup[1:])]

        return find

    @cached_property
    def _avoid_patterns(self) -> dict[str, tuple[re.Pattern, list[str]]]:
        return {lang: _compiled(tuple((v, t.id, False) for t in self.terms for v in t.avoid.get(lang, ()))) for lang in LANGUAGES}

    def avoided(self, lang: str, text: str) -> Iterable[tuple[re.Match, Term]]:
        pattern, owners = self._avoid_patterns[lang]
        for m in pattern.finditer(text):
            yield m, self.by_id[owners[int(m.lastgroup[1:])]]


def _key(form: str, lang: str) -> str:
    return form.casefold() if lang == "en" and not form.isupper() else form


@functools.lru_cache(maxsize=256)
def _compiled(forms: tuple[tuple[str, str, bool], ...]) -> tuple[re.Pattern, list[str]]:
    """One pattern for many forms, longest first, so '混合专家模型' wins over '混合专家'.

    Latin forms need Latin boundaries (`(?<![A-Za-z0-9])`), never `\\b`: a CJK character is a
    word character, so `\\bMoE\\b` never matches in '采用MoE架构'. CJK forms need no boundary
    and come first, so 'KV 缓存' wins over 'KV'. English words (not abbreviations) also match
    any case, their plural ('shared experts') and hyphens for spaces ('secondary-source
    figures'). Group `tN` names the owner N of the form that matched; the boundaries are
    shared by each block so the engine checks them once per position, not once per form.
    """
    ordered = sorted(forms, key=lambda item: len(item[0]), reverse=True)
    blocks: dict[str, list[str]] = {"cjk": [], "words": [], "exact": []}
    for number, (form, _, words) in enumerate(ordered):
        if CJK.search(form):
            blocks["cjk"].append(f"(?P<t{number}>{re.escape(form)})")
        elif words:
            body = r"[\s-]".join(map(re.escape, re.split(r"[ -]", form)))
            blocks["words"].append(f"(?P<t{number}>{body})")
        else:
            blocks["exact"].append(f"(?P<t{number}>{re.escape(form)})")
    parts = []
    if blocks["cjk"]:
        parts.append("|".join(blocks["cjk"]))
    if blocks["words"]:
        parts.append(rf"(?<![A-Za-z0-9_-])(?i:{'|'.join(blocks['words'])})(?:e?s)?(?![A-Za-z0-9_])")
    if blocks["exact"]:
        parts.append(rf"(?<![A-Za-z0-9_-])(?:{'|'.join(blocks['exact'])})(?![A-Za-z0-9_])")
    if not parts:
        return re.compile(r"(?!x)x"), []
    # Most positions start no term: one character-class test rejects them before the alternation.
    firsts = {c for form, _, words in ordered for c in ((form[0].lower(), form[0].upper()) if words else (form[0],))}
    gate = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
    return re.compile(f"(?={gate})(?:{'|'.join(parts)})"), [owner for _, owner, _ in ordered]


# --- Loading --------------------------------------------------------------------------------
# libyaml's loader when PyYAML has it (its wheels do): the same nodes and marks, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path, display: str | None = None) -> tuple[Glossary, list[Finding]]:
    """Read and validate the glossary. Unreadable data raises GlossaryError (one line);
    problems of single entries are findings, and those entries are left out."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise GlossaryError(f"Glossary file '{shown}' cannot be read: {e.strerror}.") from None
    try:
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e).split("\n")[0]
        raise GlossaryError(f"Glossary file '{shown}'{where} is not valid YAML: {problem}. Fix the syntax there.") from None
    if not isinstance(data, list) or root is None:
        raise GlossaryError(f"Glossary file '{shown}' must be a YAML list of entries (- id: ...), not {type(data).__name__}.")

    findings: list[Finding] = []
    terms: list[Term] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[tuple[str, str], tuple[str, int]] = {}
    for node, entry in zip(root.value, data):
        line = node.start_mark.line + 1

        def problem(message: str, line: int = line) -> None:
            findings.append(Finding(shown, line, f"Glossary file '{shown}' (line {line}), {message}"))

        if not isinstance(entry, dict):
            problem("entry is not a mapping: write 'id:', 'zh:', 'en:', 'zh_def:', 'en_def:', 'page:'.")
            continue
        label = f"entry '{entry.get('id', '?')}'"
        missing = [f for f in REQUIRED if not isinstance(entry.get(f), str) or not entry[f].strip()]
        if missing:
            problem(f"{label}: field '{missing[0]}' is missing or empty" + (f" (also: {', '.join(missing[1:])})" if missing[1:] else "") + ".")
            continue
        unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            problem(f"{label}: unknown field '{unknown[0]}'; the fields are {', '.join(REQUIRED + OPTIONAL)}.")
            continue
        if not ID.match(entry["id"]):
            problem(f"{label}: field 'id' must be lowercase ASCII letters, digits and hyphens.")
            continue
        if entry["id"] in seen_ids:
            problem(f"{label}: duplicate id, first defined at line {seen_ids[entry['id']]}.")
            continue
        avoid = entry.get("avoid") or {}
        if not isinstance(avoid, dict) or any(k not in LANGUAGES or not isinstance(v, list) for k, v in avoid.items()):
            problem(f"{label}: field 'avoid' must map a language (zh, en) to a list of spellings.")
            continue
        duplicate = False
        for lang in LANGUAGES:
            key = (lang, _key(entry[lang], lang))
            if key in seen_names:
                other, other_line = seen_names[key]
                problem(f"{label}: field '{lang}' repeats the term '{entry[lang]}' of entry '{other}' (line {other_line}).")
                duplicate = True
        if duplicate:
            continue
        seen_ids[entry["id"]] = line
        for lang in LANGUAGES:
            seen_names[(lang, _key(entry[lang], lang))] = (entry["id"], line)
        terms.append(Term(
            id=entry["id"], zh=entry["zh"].strip(), en=entry["en"].strip(),
            zh_def=entry["zh_def"].strip(), en_def=entry["en_def"].strip(),
            page=entry["page"].strip(), line=line, abbr=str(entry.get("abbr") or "").strip(),
            avoid={k: tuple(map(str, v)) for k, v in avoid.items()},
        ))
    return Glossary(shown, terms), findings


def check_targets(glossary: Glossary, headings: dict[str, set[str]], languages: Sequence[str]) -> list[Finding]:
    """Each entry's topic page exists in every language and has the anchor it names.
    `headings` maps 'zh/moe.md' to the heading ids of that page."""
    findings = []
    for term in glossary.terms:
        name, _, anchor = term.page.partition("#")
        for lang in languages:
            uri = f"{lang}/{name}"
            if uri not in headings:
                findings.append(Finding(glossary.path, term.line,
                    f"Glossary file '{glossary.path}' (line {term.line}), entry '{term.id}': field 'page' "
                    f"names '{name}', but the doc file '{uri}' does not exist."))
                break
            if anchor and anchor not in headings[uri]:
                findings.append(Finding(glossary.path, term.line,
                    f"Glossary file '{glossary.path}' (line {term.line}), entry '{term.id}': field 'page' "
                    f"names the anchor '#{anchor}', which the doc file '{uri}' does not have."))
                break
    return findings


# --- Use on pages ---------------------------------------------------------------------------
def uses(glossary: Glossary, page: Page, scan: Scan, linkable: bool = False) -> dict[str, Segment]:
    """First use of each term on a page: term id -> where (with `linkable`, outside titles)."""
    first: dict[str, Segment] = {}
    find = glossary.finder(page.lang, page.text)
    for segment in scan.prose:
        if linkable and segment.title:
            continue
        for m, term_id in find(segment.text):
            first.setdefault(term_id, Segment(segment.line, segment.col + m.start(), m[0]))
    return first


def check_avoided(glossary: Glossary, page: Page, scan: Scan) -> list[Finding]:
    findings = []
    for segment in scan.prose:
        for m, term in glossary.avoided(page.lang, segment.text):
            findings.append(Finding(page.uri, segment.line,
                f"Doc file '{page.uri}' (line {segment.line}) writes '{m[0]}': use the glossary term "
                f"'{term.name(page.lang)}' (entry '{term.id}') instead."))
    return findings


def check_term_parity(a: Page, uses_a: dict[str, Segment], b: Page, uses_b: dict[str, Segment], glossary: Glossary) -> list[Finding]:
    findings = []
    for here, there, page, other in ((uses_a, uses_b, a, b), (uses_b, uses_a, b, a)):
        for term_id, where in here.items():
            if term_id not in there:
                term = glossary.by_id[term_id]
                findings.append(Finding(other.uri, None,
                    f"Doc file '{other.uri}' never uses the glossary term '{term.name(other.lang)}' "
                    f"(entry '{term_id}'), which its counterpart '{page.uri}' uses (line {where.line})."))
    return findings


def check_unused(glossary: Glossary, used: set[str]) -> list[Finding]:
    return [
        Finding(glossary.path, t.line, f"Glossary file '{glossary.path}' (line {t.line}), entry '{t.id}' "
                f"is used by no page: use the term on its topic page or remove the entry.")
        for t in glossary.terms if t.id not in used
    ]


def link_first_uses(glossary: Glossary, page: Page, scan: Scan, glossary_link: str) -> str:
    """The page's Markdown with the first use of each term linked to its glossary entry;
    the link title (the definition) becomes Material's tooltip."""
    lines = scan.lines[:]
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for term_id, where in uses(glossary, page, scan, linkable=True).items():
        term = glossary.by_id[term_id]
        title = term.definition(page.lang).replace('"', "&quot;")
        link = f'[{where.text}]({glossary_link}#{term.id} "{title}"){{ .glossary-term }}'
        edits.setdefault(where.line, []).append((where.col, where.col + len(where.text), link))
    for number, changes in edits.items():
        line = lines[number - 1]
        for start, end, link in sorted(changes, reverse=True):
            line = line[:start] + link + line[end:]
        lines[number - 1] = line
    return "\n".join(lines)


# --- The glossary page ----------------------------------------------------------------------
def sort_key(term: Term, lang: str) -> str:
    """English: alphabetical. Chinese: by pinyin, as Chinese dictionaries and indexes are."""
    if lang == "zh":
        from pypinyin import lazy_pinyin  # imported on use: only the zh glossary page needs it

        return " ".join(lazy_pinyin(term.zh)).casefold()
    return unicodedata.normalize("NFKD", term.en).casefold()


LABELS = {
    "zh": {"abbr": "缩写", "page": "详见"},
    "en": {"abbr": "Abbreviation", "page": "Explained in"},
}


def glossary_markdown(glossary: Glossary, lang: str, title_of: dict[str, str]) -> str:
    """The entries of the glossary page of `lang`; `title_of` maps 'moe.md' to its title."""
    label = LABELS[lang]
    out = []
    for term in sorted(glossary.terms, key=lambda t: sort_key(t, lang)):
        name = term.name(lang)
        other = term.en if lang == "zh" else term.zh
        heading = f"{name}（{term.abbr}）" if term.abbr and lang == "zh" else (f"{name} ({term.abbr})" if term.abbr else name)
        out.append(f"## {heading} {{ #{term.id} }}\n")
        out.append(f"{other}\n" if lang == "zh" else f"*{other}*\n")
        out.append(f"{term.definition(lang)}\n")
        page_name = term.page.partition("#")[0]
        out.append(f"{label['page']}: [{title_of.get(page_name, page_name)}]({term.page})\n")
    return "\n".join(out)
