"""The glossary: one YAML file, the single source of every term in both languages.

It validates the data, finds terms in prose (in Chinese text too, where `\\b` does not work)
and checks how the pages use the terms. `tooltips.py` links the first uses and writes the
glossary page of each language from it, on the parsed document.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .document import Document, Segment
from .model import Finding, Page

LANGUAGES = ("zh", "en")
OPTIONAL = ("abbr", "avoid")  # besides id, '<lang>', '<lang>_def' per language, and page
ID = re.compile(r"[a-z][a-z0-9-]*")  # matched in full: `$` would accept a trailing newline
PAGE = re.compile(r"(?![/.])[\w./-]+\.md(?:#[A-Za-z][\w-]*)?")  # a doc file under the language folder
WORDLESS = re.compile(r"[\W_]*")  # a term or spelling must hold a letter or digit to be matched
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
DEFAULT_FILE = "data/glossary.yml"  # relative to the project root
# A definition is a tooltip on every page that uses the term: a few sentences, not an essay.
MAX_DEFINITION = 500


class GlossaryError(Exception):
    """The glossary file cannot be read at all (the build cannot go on)."""


@dataclass(frozen=True)
class Term:
    id: str
    names: dict[str, str]
    definitions: dict[str, str]
    page: str
    line: int
    abbr: str = ""
    avoid: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def zh(self) -> str:
        return self.names.get("zh", "")

    @property
    def en(self) -> str:
        return self.names.get("en", "")

    def name(self, lang: str) -> str:
        return self.names.get(lang, "")

    def definition(self, lang: str) -> str:
        return self.definitions.get(lang, "")

    def forms(self, lang: str) -> list[str]:
        """The spellings that count as a use of the term in `lang` (none in a language the
        glossary does not have)."""
        if lang not in self.names:
            return []
        return [x for x in (self.name(lang), self.abbr) if x]


@dataclass(frozen=True)
class Dropped:
    """What can be read of an entry left out for its problem: its id and spellings, so that the
    checks do not report what only follows from its absence."""

    id: str
    spellings: dict[str, tuple[str, ...]]


@dataclass(eq=False)
class Glossary:
    path: str
    terms: list[Term]
    languages: tuple[str, ...] = LANGUAGES
    dropped: tuple[Dropped, ...] = ()

    def shadowed(self, term_id: str) -> bool:
        """True when an entry left out shares a spelling with this term (one contains the other):
        its uses on the pages may be the left-out entry's, so they prove nothing until it is fixed."""
        term = self.by_id[term_id]
        for lang in self.languages:
            forms = [_key(f, lang) for f in term.forms(lang)]
            for entry in self.dropped:
                for spelling in entry.spellings.get(lang, ()):
                    key = _key(spelling, lang)
                    if any(key in form or form in key for form in forms):
                        return True
        return False

    @cached_property
    def by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}

    def forms(self, lang: str) -> list[tuple[str, str, bool]]:
        """(form, term id, is an English word) for every spelling that counts as a use."""
        return [(form, t.id, lang == "en" and form == t.en) for t in self.terms for form in t.forms(lang)]

    def finder(self, lang: str, page_text: str = "") -> Callable[[str], Iterator[tuple[re.Match, str]]]:
        """A term finder for prose in `lang`: (match, term id), longest form first.

        One pattern per language, compiled once (`page_text` is no longer needed: the forms
        are a trie, so the engine tries one branch per character, not one per form).
        """
        pattern, owners = self.pattern(lang)

        def find(text: str) -> Iterator[tuple[re.Match, str]]:
            for m in pattern.finditer(text):
                yield m, owners[int(m.lastgroup[1:])]

        return find

    def pattern(self, lang: str) -> tuple[re.Pattern, list[str]]:
        """The pattern of every form in `lang` and the owners of its groups `tN` (see `_compiled`)."""
        if lang not in self._patterns:
            self._patterns[lang] = _compiled(tuple(self.forms(lang)))
        return self._patterns[lang]

    def avoid_pattern(self, lang: str) -> tuple[re.Pattern, list[str]]:
        """The same for the spellings to avoid in `lang`."""
        if lang not in self._avoid_patterns:
            self._avoid_patterns[lang] = _compiled(tuple((v, t.id, False) for t in self.terms for v in t.avoid.get(lang, ())))
        return self._avoid_patterns[lang]

    @cached_property
    def _patterns(self) -> dict[str, tuple[re.Pattern, list[str]]]:
        return {}

    @cached_property
    def _avoid_patterns(self) -> dict[str, tuple[re.Pattern, list[str]]]:
        return {}

    @cached_property
    def _sort_keys(self) -> dict[str, dict[str, str]]:
        return {}  # lang -> term id -> key; filled from the cache, or computed on first use

    def ordered(self, lang: str) -> list[Term]:
        """The terms in the order of the glossary page of `lang` (see `sort_key`)."""
        keys = self._sort_keys.get(lang)
        if keys is None or any(t.id not in keys for t in self.terms):
            keys = self._sort_keys[lang] = {t.id: sort_key(t, lang) for t in self.terms}
        return sorted(self.terms, key=lambda t: keys[t.id])

    def avoided(self, lang: str, text: str) -> Iterable[tuple[re.Match, Term]]:
        pattern, owners = self.avoid_pattern(lang)
        for m in pattern.finditer(text):
            yield m, self.by_id[owners[int(m.lastgroup[1:])]]


def _key(form: str, lang: str) -> str:
    return form.casefold() if lang == "en" and not form.isupper() else form


@functools.lru_cache(maxsize=64)
def _compiled(forms: tuple[tuple[str, str, bool], ...]) -> tuple[re.Pattern, list[str]]:
    """One pattern for many forms, longest first, so '混合专家模型' wins over '混合专家'.

    Latin forms need Latin boundaries (`(?<![A-Za-z0-9])`), never `\\b`: a CJK character is a
    word character, so `\\bMoE\\b` never matches in '采用MoE架构'. CJK forms need no boundary
    and come first, so 'KV 缓存' wins over 'KV'. English words (not abbreviations) also match
    any case, their plural ('shared experts') and hyphens for spaces ('secondary-source
    figures'). The boundaries are shared by each block so the engine checks them once per
    position, not once per form.

    Each block is a trie of its forms (`混合专家(?:模型(?P<t0>)|(?P<t1>))`): at a position the engine
    follows one branch per character instead of trying every form in turn (5 times faster on
    this site's pages), and a longer form is tried before a shorter one on the same path, as in
    the plain longest-first alternation. The empty group `tN` at the end of form N names its
    owner N.
    """
    ordered = sorted((item for item in forms if item[0]), key=lambda item: len(item[0]), reverse=True)
    if not ordered:
        return re.compile(r"(?!x)x"), []
    blocks: dict[str, list[tuple[int, list[str]]]] = {"cjk": [], "words": [], "exact": []}
    for number, (form, _, words) in enumerate(ordered):
        if CJK.search(form):
            blocks["cjk"].append((number, [re.escape(c) for c in form]))
        elif words:  # any case: one branch per lower-case letter; a space or hyphen matches either
            blocks["words"].append((number, [r"[\s-]" if c in " -" else re.escape(c) for c in form.lower()]))
        else:
            blocks["exact"].append((number, [re.escape(c) for c in form]))
    # Most positions start no term: one character-class test rejects them before the alternation.
    firsts = {c for form, _, words in ordered for c in ((form[0].lower(), form[0].upper()) if words else (form[0],))}
    gate = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
    owners = [owner for _, owner, _ in ordered]
    try:
        return re.compile(_pattern(gate, blocks, _trie)), owners
    except RecursionError:
        return re.compile(_pattern(gate, blocks, _flat)), owners


def _pattern(gate: str, blocks: dict[str, list[tuple[int, list[str]]]], alternation) -> str:
    parts = []
    if blocks["cjk"]:
        parts.append(alternation(blocks["cjk"]))
    if blocks["words"]:
        parts.append(rf"(?<![A-Za-z0-9_-])(?i:{alternation(blocks['words'])})(?:e?s)?(?![A-Za-z0-9_])")
    if blocks["exact"]:
        parts.append(rf"(?<![A-Za-z0-9_-]){alternation(blocks['exact'])}(?![A-Za-z0-9_])")
    return f"(?={gate})(?:{'|'.join(parts)})"


def _trie(forms: list[tuple[int, list[str]]]) -> str:
    """The regex of a trie of `forms` ((number, tokens)): at each node the longer continuations
    come first, then the end of the forms that stop there (the first of equal forms wins)."""
    root: dict = {}
    for number, tokens in forms:
        node = root
        for token in tokens:
            node = node.setdefault(token, {})
        node.setdefault(None, []).append(number)
    # Children before their parent, without recursion (a term may be a long phrase).
    done: dict[int, str] = {}
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        children = [(token, child) for token, child in node.items() if token is not None]
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for _, child in children)
            continue
        branches = [token + done.pop(id(child)) for token, child in children]
        branches += [f"(?P<t{number}>)" for number in node.get(None, [])[:1]]
        done[id(node)] = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return done[id(root)]


def _flat(forms: list[tuple[int, list[str]]]) -> str:
    """The same forms as one plain alternation, longest first (for a trie nested too deeply for
    the regex parser: hundreds of forms, each the start of the next)."""
    return "(?:" + "|".join(f"(?P<t{number}>{''.join(tokens)})" for number, tokens in forms) + ")"


# --- Loading --------------------------------------------------------------------------------
# PyYAML's pure-Python loader: libyaml's C loader is faster, but it reads any depth of nesting
# without the RecursionError this module turns into a one-line finding.
_LOADER = yaml.SafeLoader


def _type_name(value: object) -> str:
    """How YAML wrote a value, for messages: 'a number (123)', 'a boolean (false)'."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()}; quote it if you meant the word)"
    if isinstance(value, (int, float)):
        return f"a number ({value}; quote it if you meant the text)"
    if value is None:
        return "empty (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _read_text(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise GlossaryError(f"Glossary file '{shown}' cannot be read: {e.strerror}.") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise GlossaryError(f"Glossary file '{shown}' (line {line}) is not valid UTF-8 (byte 0x{data[e.start]:02x}): "
                            "save it as UTF-8.") from None


def locate(root: Path, named: str | None = None) -> tuple[Path, str] | None:
    """The glossary file to load and how to name it: the one the settings name (it must exist),
    else the default one when it exists; None for a site without a glossary."""
    if named is None:
        path = root / DEFAULT_FILE
        return (path, DEFAULT_FILE) if path.exists() or path.is_symlink() else None
    path = root / named
    if not path.is_file():
        state = "is not a file" if path.exists() else "does not exist"
        raise GlossaryError(f"Glossary file '{named}' is named by 'extra: translation_checks: glossary' in mkdocs.yml, "
                            f"but it {state}: restore it, or correct or remove the setting.")
    return path, named


def load(path: Path, display: str | None = None, languages: Sequence[str] = LANGUAGES) -> tuple[Glossary, list[Finding]]:
    """Read and validate the glossary for the site's `languages` (default first).

    Unreadable data raises GlossaryError (one line); problems of single entries are findings
    naming the file, line, entry and field, and those entries are left out (a definition that
    is merely too long is reported and kept, so no page loses its links to it).
    """
    shown = display or str(path)
    text = _read_text(path, shown)
    try:
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e).split("\n")[0]
        raise GlossaryError(f"Glossary file '{shown}'{where} is not valid YAML: {problem}. Fix the syntax there.") from None
    except RecursionError:
        raise GlossaryError(f"Glossary file '{shown}' is nested too deeply to read: it must be a list of flat entries.") from None
    if data is None:
        data = []
    if not isinstance(data, list):
        raise GlossaryError(f"Glossary file '{shown}' must be a YAML list of entries (- id: ...), not {_type_name(data)}.")
    languages = tuple(languages)
    findings: list[Finding] = []
    if not data:
        findings.append(Finding(shown, None, f"Glossary file '{shown}' has no entries: add the site's terms (- id: ...), "
                                              "or remove the file."))
        return Glossary(shown, [], languages), findings

    # A language no entry has at all is one finding, not one per entry; its pages get no tooltips.
    present = tuple(lang for lang in languages if any(isinstance(e, dict) and lang in e for e in data))
    if not any(isinstance(e, dict) for e in data):
        present = languages
    for lang in languages:
        if lang not in present:
            findings.append(Finding(shown, None, f"Glossary file '{shown}' has no terms in the language '{lang}': "
                                                  f"give every entry the fields '{lang}' and '{lang}_def'."))
    required = ("id", *present, *(f"{lang}_def" for lang in present), "page")
    known = set(required) | set(OPTIONAL)

    terms: list[Term] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[tuple[str, str], tuple[str, int]] = {}  # (lang, folded name) -> owner
    seen_abbr: dict[str, tuple[str, int]] = {}
    left_out: list[object] = []
    for node, entry in zip(root.value, data):
        left_out.append(entry)  # taken back when the entry becomes a term
        line = node.start_mark.line + 1
        if not isinstance(entry, dict):
            findings.append(Finding(shown, line, f"Glossary file '{shown}' (line {line}), entry is not a mapping: write "
                                                  + ", ".join(f"'{f}:'" for f in required) + "."))
            continue
        ident = entry.get("id")
        label = f"entry '{ident.strip()}'" if isinstance(ident, str) and ident.strip() else "entry"

        def report(message: str) -> None:
            findings.append(Finding(shown, line, f"Glossary file '{shown}' (line {line}), {label}: {message}"))

        bad = False
        keys = [key.value for key, _ in node.value if isinstance(node, yaml.MappingNode)]
        for name in sorted({k for k in keys if keys.count(k) > 1}, key=str):
            report(f"field '{name}' is given {keys.count(name)} times: keep one (YAML would keep only the last).")
            bad = True
        for name in sorted(set(entry) - known, key=str):
            report(f"unknown field '{name}'; the fields are {', '.join(required + OPTIONAL)}.")
            bad = True
        missing = [f for f in required if f not in entry or (isinstance(entry[f], str) and not entry[f].strip()) or entry[f] is None]
        if missing:
            report(f"field '{missing[0]}' is missing or empty" + (f" (also: {', '.join(missing[1:])})" if missing[1:] else "") + ".")
            bad = True
        for name in (*required, "abbr"):
            value = entry.get(name)
            if name in missing or value is None or (name == "abbr" and value == ""):
                continue
            if not isinstance(value, str):
                report(f"field '{name}' must be text, but it is {_type_name(value)}.")
                bad = True
            elif m := CONTROL.search(value):
                report(f"field '{name}' contains the control character U+{ord(m[0]):04X}: remove it.")
                bad = True
            elif "\n" in value.strip() and not name.endswith("_def"):
                report(f"field '{name}' must be one line, but it spans {value.strip().count(chr(10)) + 1}.")
                bad = True
            elif name in (*present, "abbr") and WORDLESS.fullmatch(value.strip()):
                report(f"field '{name}' has no letter or digit, so no page can use it: write the term.")
                bad = True
            elif name == "page" and not PAGE.fullmatch(value.strip()):
                report(f"field 'page' must name a doc file of each language, like 'moe.md' or 'moe.md#routing', "
                       f"not '{value.strip()}'.")
                bad = True
        if bad:
            continue
        ident = entry["id"]
        if ident != ident.strip():
            report(f"field 'id' has a space or line break around it: write '{ident.strip()}'.")
            continue
        if not ID.fullmatch(ident):
            report("field 'id' must be lowercase ASCII letters, digits and hyphens, starting with a letter.")
            continue
        if ident in seen_ids:
            report(f"duplicate id, first defined at line {seen_ids[ident]}.")
            continue
        names = {lang: entry[lang].strip() for lang in present}
        definitions = {lang: entry[f"{lang}_def"].strip() for lang in present}
        abbr = (entry.get("abbr") or "").strip()
        avoid, message = _read_avoid(entry.get("avoid"), present, names, abbr)
        if message:
            report(message)
            continue
        clash = False
        for lang in present:
            key = (lang, _key(names[lang], lang))
            if key in seen_names:
                other, other_line = seen_names[key]
                report(f"field '{lang}' repeats the term '{names[lang]}' of entry '{other}' (line {other_line}).")
                clash = True
            elif names[lang] in seen_abbr:
                other, other_line = seen_abbr[names[lang]]
                report(f"field '{lang}' is the abbreviation of entry '{other}' (line {other_line}).")
                clash = True
        if abbr:
            if abbr in seen_abbr:
                other, other_line = seen_abbr[abbr]
                report(f"field 'abbr' repeats the abbreviation '{abbr}' of entry '{other}' (line {other_line}).")
                clash = True
            for lang in present:
                owner = seen_names.get((lang, _key(abbr, lang)))
                if owner and owner[0] != ident:
                    report(f"field 'abbr' is the term '{abbr}' of entry '{owner[0]}' (line {owner[1]}); an abbreviation "
                           "must not be another term.")
                    clash = True
                    break
        if clash:
            continue
        for lang in present:
            if len(definitions[lang]) > MAX_DEFINITION:
                report(f"field '{lang}_def' is {len(definitions[lang])} characters long; a definition is its tooltip on "
                       f"every page, keep it under {MAX_DEFINITION}.")
        seen_ids[ident] = line
        for lang in present:
            seen_names[(lang, _key(names[lang], lang))] = (ident, line)
        if abbr:
            seen_abbr[abbr] = (ident, line)
        terms.append(Term(id=ident, names=names, definitions=definitions, page=entry["page"].strip(),
                          line=line, abbr=abbr, avoid=avoid))
        left_out.pop()
    return Glossary(shown, terms, languages, _dropped(left_out, present)), findings


def _dropped(entries: list[object], languages: Sequence[str]) -> tuple[Dropped, ...]:
    dropped = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        text = lambda value: value.strip() if isinstance(value, str) and value.strip() else None  # noqa: E731
        abbr = text(entry.get("abbr"))
        spellings = {lang: tuple(x for x in (text(entry.get(lang)), abbr) if x) for lang in languages}
        dropped.append(Dropped(text(entry.get("id")) or "", spellings))
    return tuple(dropped)


# --- A disk cache of the validated glossary --------------------------------------------------------
# Reading the file with the pure-Python loader and validating it costs most of a second, and the
# pinyin sort keys of the Chinese glossary page (pypinyin and its dictionary) another half; the
# file rarely changes between two builds. The cache holds the result for one file content, the
# site's languages and this module's source (so a change of the rules invalidates it).
def _code_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def load_cached(path: Path, display: str | None = None, languages: Sequence[str] = LANGUAGES,
                cache_dir: Path | None = None, sort_keys: bool = True) -> tuple[Glossary, list[Finding]]:
    """`load`, reusing the result (terms, findings and sort keys) cached in `cache_dir` for the
    same file content; a missing, damaged or stale cache is rebuilt, an unwritable one skipped.
    `sort_keys=False` (the checker, which orders no page): the pinyin sort keys are neither
    computed nor required; a build that needs them computes them once and keeps them."""
    shown = display or str(path)
    if cache_dir is None:
        return load(path, display, languages)
    text = _read_text(path, shown)
    key = hashlib.sha256(json.dumps([text, shown, list(languages), _code_version()]).encode("utf-8")).hexdigest()
    cache = Path(cache_dir) / "glossary.json"
    loaded = None
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(stored, dict) and stored.get("key") == key:
            loaded = _from_json(stored)
            if not sort_keys or all(lang in loaded[0]._sort_keys for lang in loaded[0].languages):
                return loaded
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass  # no cache yet, or a damaged one: load the file
    glossary, findings = loaded or load(path, display, languages)
    if sort_keys:
        for lang in glossary.languages:
            glossary.ordered(lang)  # computes the sort keys, kept with the terms
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(_to_json(key, glossary, findings), ensure_ascii=False), encoding="utf-8")
        temporary.replace(cache)
    except OSError:
        pass  # a read-only checkout: the next build loads the file again
    return glossary, findings


def _to_json(key: str, glossary: Glossary, findings: list[Finding]) -> dict:
    return {
        "key": key, "path": glossary.path, "languages": list(glossary.languages),
        "terms": [{"id": t.id, "names": t.names, "definitions": t.definitions, "page": t.page, "line": t.line,
                   "abbr": t.abbr, "avoid": {k: list(v) for k, v in t.avoid.items()}} for t in glossary.terms],
        "findings": [[f.file, f.line, f.message] for f in findings],
        "dropped": [{"id": d.id, "spellings": {k: list(v) for k, v in d.spellings.items()}} for d in glossary.dropped],
        "sort_keys": glossary._sort_keys,
    }


def _from_json(stored: dict) -> tuple[Glossary, list[Finding]]:
    terms = [Term(id=t["id"], names=dict(t["names"]), definitions=dict(t["definitions"]), page=t["page"],
                  line=t["line"], abbr=t["abbr"], avoid={k: tuple(v) for k, v in t["avoid"].items()})
             for t in stored["terms"]]
    dropped = tuple(Dropped(d["id"], {k: tuple(v) for k, v in d["spellings"].items()}) for d in stored["dropped"])
    glossary = Glossary(stored["path"], terms, tuple(stored["languages"]), dropped)
    glossary._sort_keys.update({lang: dict(keys) for lang, keys in stored["sort_keys"].items()})
    return glossary, [Finding(file, line, message) for file, line, message in stored["findings"]]


def _read_avoid(value: object, languages: Sequence[str], names: dict[str, str], abbr: str) -> tuple[dict[str, tuple[str, ...]], str]:
    """The `avoid` field as {lang: spellings}, or the message saying what is wrong with it."""
    if value is None:
        return {}, ""
    shape = f"field 'avoid' must map a language ({', '.join(languages)}) to a list of spellings"
    if not isinstance(value, dict):
        return {}, f"{shape}, but it is {_type_name(value)}."
    avoid: dict[str, tuple[str, ...]] = {}
    for lang, spellings in value.items():
        if lang not in languages:
            return {}, f"{shape}; '{lang}' is not one of the site's languages."
        if spellings is None:
            continue
        if not isinstance(spellings, list):
            return {}, f"{shape}, but '{lang}' is {_type_name(spellings)}."
        for number, spelling in enumerate(spellings, start=1):
            if isinstance(spelling, str) and spelling.strip() and WORDLESS.fullmatch(spelling.strip()):
                return {}, f"field 'avoid', '{lang}' spelling {number} has no letter or digit: write the spelling."
            if not isinstance(spelling, str) or not spelling.strip():
                what = "empty" if isinstance(spelling, str) else _type_name(spelling)
                return {}, f"field 'avoid', '{lang}' spelling {number} must be non-empty text, but it is {what}."
            if "\n" in spelling.strip():
                return {}, f"field 'avoid', '{lang}' spelling {number} must be one line."
            if _key(spelling.strip(), lang) in (_key(names[lang], lang), _key(abbr, lang) if abbr else None):
                return {}, (f"field 'avoid', '{lang}' spelling '{spelling.strip()}' is the term itself: a spelling "
                            "cannot be both the term and one to avoid.")
        avoid[lang] = tuple(s.strip() for s in spellings)
    return avoid, ""


def check_targets(glossary: Glossary, headings: dict[str, set[str]], languages: Sequence[str],
                  unreadable: Iterable[str] = ()) -> list[Finding]:
    """Each entry's topic page exists in every language and has the anchor it names.
    `headings` maps 'zh/moe.md' to the heading ids of that page; on an `unreadable` page (an
    unclosed fence swallowed its headings) anchors are not checked."""
    findings = []
    unreadable = set(unreadable)
    for term in glossary.terms:
        name, _, anchor = term.page.partition("#")
        for lang in languages:
            uri = f"{lang}/{name}"
            if uri in unreadable:
                continue
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
# Prose segments are searched as one text, each followed by this separator: no form holds a
# control character (`load` refuses them), every boundary of the patterns reads it as it reads the
# end of a text, and no form starts with it, so the matches are those of each segment read alone.
SEPARATOR = "\x00"


def uses(glossary: Glossary, page: Page, scan: Document, linkable: bool = False) -> dict[str, Segment]:
    """First use of each term on a page: term id -> where (with `linkable`, outside titles)."""
    first: dict[str, Segment] = {}
    segments = [s for s in scan.prose if not (linkable and s.title)]
    starts, at = [], 0
    for segment in segments:
        starts.append(at)
        at += len(segment.text) + 1
    pattern, owners = glossary.pattern(page.lang)
    for m in pattern.finditer(SEPARATOR.join(s.text for s in segments)):
        term_id = owners[int(m.lastgroup[1:])]
        if term_id not in first:
            index = bisect_right(starts, m.start()) - 1
            segment = segments[index]
            first[term_id] = Segment(segment.line, segment.col + m.start() - starts[index], m[0])
    return first


def check_avoided(glossary: Glossary, page: Page, scan: Document) -> list[Finding]:
    findings = []
    if not glossary.avoid_pattern(page.lang)[0].search(SEPARATOR.join(s.text for s in scan.prose)):
        return findings  # most pages: no segment holds a spelling to avoid (a match in one is a match here)
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
            if term_id not in there and not (glossary.dropped and glossary.shadowed(term_id)):
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


# --- Order of the glossary page ------------------------------------------------------------
def sort_key(term: Term, lang: str) -> str:
    """English: alphabetical. Chinese: by pinyin, as Chinese dictionaries and indexes are."""
    if lang == "zh":
        from pypinyin import lazy_pinyin  # imported on use: only the zh glossary page needs it

        return " ".join(lazy_pinyin(term.name(lang))).casefold()
    return unicodedata.normalize("NFKD", term.name(lang) or term.id).casefold()
