"""Drift inside sections that structure checks cannot see: an untranslated copy, code changed on
one side, a diagram with other nodes or edges.

Code is compared outside comments and string literals (those are translated); a Mermaid diagram
by its nodes and edges (labels are translated).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from . import document
from .document import CodeBlock, Document, Section
from .model import Finding, Page

# --- Untranslated copy ----------------------------------------------------------------------
CJK_LANGS = ("zh", "ja", "ko", "yue")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
MIN_COPY_LETTERS = 40  # shorter prose (a name, a caption) is often the same in every language


def is_cjk(lang: str) -> bool:
    return lang.split("-")[0].split("_")[0].lower() in CJK_LANGS


def section_prose(doc: Document, section: Section) -> str:
    return " ".join(text for s in doc.in_section(section, "prose") if (text := s.text.strip()))


def _section_data(doc: Document, section: Section) -> list:
    """What the section checks compare of one section, as JSON data: its prose with whitespace
    runs made one space, its CJK characters and its letters (CJK and Latin), its inline code as
    compared with the line of each, its table rows' lines, and its blocks (line, kind)."""
    prose = section_prose(doc, section)
    cjk = len(CJK.findall(prose))
    return [re.sub(r"\s+", " ", prose), cjk, cjk + len(LATIN.findall(prose)),
            [[_span(s.text), s.line] for s in doc.in_section(section, "code_spans")],
            list(doc.in_section(section, "table_rows")), [list(b) for b in doc.in_section(section, "blocks")]]


def _derived(doc: Document) -> list:
    """`_section_data` of every section of the view, kept with it (`document.DERIVED`)."""
    return [_section_data(doc, section) for section in doc.sections]


def _derived_valid(results: list) -> bool:
    if not set(map(type, results)) <= {list}:
        return False
    rows = list(chain.from_iterable(results))
    return (document.rows_valid(rows, ({str}, {int}, {int}, {list}, {list}, {list}))
            and document.rows_valid(list(chain.from_iterable(row[3] for row in rows)), ({str}, {int}))
            and set(map(type, chain.from_iterable(row[4] for row in rows))) <= {int}
            and document.rows_valid(list(chain.from_iterable(row[5] for row in rows)), ({int}, {str})))


document.DERIVED["drift"] = (_derived, _derived_valid)


def _sections_data(doc: Document):
    """section -> its `_section_data` (computed for a section that is not one of the view's)."""
    rows = {id(section): row for section, row in zip(doc.sections, document.derive(doc, "drift"))}
    return lambda section: rows.get(id(section)) or _section_data(doc, section)


def _label(section: Section) -> str:
    return section.key if section.key and not section.key.startswith("§") else (
        f"{'#' * section.heading.level} {section.heading.title}" if section.heading else "page top")


def check_untranslated(a: Page, da: Document, b: Page, db: Document, pairs: Sequence[tuple[Section, Section]]) -> list[Finding]:
    """A section of the translation that is the original's text, or mostly in its script."""
    findings = []
    data_a, data_b = _sections_data(da), _sections_data(db)
    for xa, xb in pairs:
        if xb.pending:
            continue  # marked for translation: the reader sees a notice instead
        pb, cjk_b, letters_b = data_b(xb)[:3]
        if letters_b < MIN_COPY_LETTERS:
            continue
        line = xb.heading.line if xb.heading else 1
        if data_a(xa)[0] == pb:
            findings.append(Finding(
                b.uri, line,
                f"Doc file '{b.uri}' (line {line}): section '{_label(xb)}' has the same text as its counterpart in "
                f"'{a.uri}': translate it, or mark it '<!-- translation: pending -->'.",
            ))
            continue
        if is_cjk(a.lang) == is_cjk(b.lang):
            continue
        share = cjk_b / letters_b
        # A CJK character carries about a word, a Latin letter a fifth of one: an English
        # section a third CJK is Chinese with English names; a Chinese one with (almost) no
        # CJK character is not Chinese at all.
        if (is_cjk(a.lang) and share > 0.3) or (is_cjk(b.lang) and share < 0.02):
            findings.append(Finding(
                b.uri, line,
                f"Doc file '{b.uri}' (line {line}): section '{_label(xb)}' is written mostly in the script of "
                f"'{a.lang}', like its counterpart '{a.uri}': translate it, or mark it '<!-- translation: pending -->'.",
            ))
    return findings


# --- Code -----------------------------------------------------------------------------------
SHELL = {"sh", "bash", "shell", "zsh", "console", "shell-session"}
HASH_COMMENTS = {"python", "py", "python3", "pycon", "yaml", "yml", "toml",
                 "ruby", "rb", "r", "perl", "dockerfile", "makefile", "make", "ini", "conf", "cfg", "nginx", "julia"}
SLASH_COMMENTS = {"c", "cpp", "c++", "cc", "h", "hpp", "java", "js", "javascript", "ts", "typescript", "jsx", "tsx",
                  "go", "golang", "rust", "rs", "kotlin", "kt", "swift", "csharp", "cs", "c#", "dart", "scala", "zig",
                  "php", "json5", "jsonc", "css", "scss", "less", "groovy", "objc", "protobuf", "proto"}
DASH_COMMENTS = {"sql", "lua", "haskell", "hs"}
STRING = r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|`(?:\\.|[^`\\])*`'
STRIP = {
    "hash": re.compile(rf'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|{STRING}|#[^\n]*'),
    "slash": re.compile(rf"/\*[\s\S]*?\*/|{STRING}|//[^\n]*"),
    "dash": re.compile(rf"{STRING}|--[^\n]*"),
    # Shell sessions: `# comment`, and `// comment` lines as FastAPI's console examples write them.
    "shell": re.compile(rf"{STRING}|(?:^|(?<=\s))#[^\n]*|^\s*//[^\n]*", re.M),
    "markup": re.compile(rf"<!--[\s\S]*?-->|{STRING}|>[^<]*<"),
}
MARKUP = {"html", "xml", "svg", "vue"}


def _family(lang: str) -> str | None:
    if lang in SHELL:
        return "shell"
    if lang in HASH_COMMENTS:
        return "hash"
    if lang in SLASH_COMMENTS:
        return "slash"
    if lang in DASH_COMMENTS:
        return "dash"
    if lang in MARKUP:
        return "markup"
    return None  # plain text, output, diagrams of other kinds: often translated as a whole


def code_lines(block: CodeBlock) -> list[tuple[str, str]] | None:
    """(compared, as written) for each line of code, comments and strings blanked and blank
    lines dropped; None when the language has no known comment syntax (then only the count
    and the language are compared)."""
    family = _family(block.lang)
    if family is None:
        return None
    text = STRIP[family].sub(lambda m: ('""' if m[0][:1] in "\"'`" else ("><" if m[0][:1] == ">" else ""))
                             + "\n" * m[0].count("\n"), block.text)
    written = block.text.split("\n")
    # Whitespace inside a line is layout, not code (`Map.Entry <K, V>` is `Map.Entry<K, V>`).
    return [(re.sub(r"\s+", "", line), written[i].strip() if i < len(written) else line.strip())
            for i, line in enumerate(text.split("\n")) if line.strip()]


def code_key(block: CodeBlock) -> str | None:
    return _code_key(block.lang, block.text)


@functools.lru_cache(maxsize=4096)
def _code_key(lang: str, text: str) -> str | None:
    """Most blocks are the same in every language: each is read once."""
    lines = code_lines(CodeBlock(0, lang, text))
    return None if lines is None else "\n".join(key for key, _ in lines)


def _first_difference(x: CodeBlock, y: CodeBlock) -> tuple[str, str]:
    la, lb = code_lines(x) or [], code_lines(y) or []
    ka, kb = [k for k, _ in la], [k for k, _ in lb]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ka, b=kb, autojunk=False).get_opcodes():
        if op != "equal":
            return (" / ".join(w for _, w in la[i1:i2]) or "(nothing)")[:80], (" / ".join(w for _, w in lb[j1:j2]) or "(nothing)")[:80]
    return "", ""


def check_code(a: Page, da: Document, b: Page, db: Document) -> list[Finding]:
    """Fenced code in the same number, languages and content (outside comments and strings)."""
    findings = []
    ca, cb = da.code, db.code
    sig_a = [(c.lang, code_key(c)) for c in ca]
    sig_b = [(c.lang, code_key(c)) for c in cb]
    if sig_a == sig_b:
        return findings  # the same blocks: nothing to align
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=sig_a, b=sig_b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(ca[i1:i2], cb[j1:j2]):
                if x.lang != y.lang:
                    findings.append(Finding(b.uri, y.line,
                        f"Doc file '{b.uri}' (line {y.line}) has a code block in '{y.lang or 'no language'}' where its "
                        f"counterpart '{a.uri}' (line {x.line}) has one in '{x.lang or 'no language'}': use the same language."))
                else:
                    here, there = _first_difference(x, y)
                    findings.append(Finding(b.uri, y.line,
                        f"Doc file '{b.uri}' (line {y.line}) has a '{y.lang}' code block that differs from its counterpart "
                        f"in '{a.uri}' (line {x.line}) outside comments and strings: it has '{there}' where the counterpart has "
                        f"'{here}'. Make the code the same."))
            continue
        for x in ca[i1:i2]:
            findings.append(Finding(b.uri, None,
                f"Doc file '{b.uri}' has {len(cb)} code block(s), its counterpart '{a.uri}' has {len(ca)}: the "
                f"'{x.lang or 'plain'}' block at line {x.line} there has no counterpart here."))
        for y in cb[j1:j2]:
            findings.append(Finding(b.uri, y.line,
                f"Doc file '{b.uri}' (line {y.line}) has a '{y.lang or 'plain'}' code block that its counterpart "
                f"'{a.uri}' does not have ({len(cb)} code block(s) here, {len(ca)} there)."))
    return findings


# --- Mermaid --------------------------------------------------------------------------------
MERMAID_LABELS = [
    re.compile(r'"[^"\n]*"'),
    re.compile(r"\|[^|\n]*\|"),
    re.compile(r"\[[^\[\]\n]*\]|\([^()\n]*\)|\{[^{}\n]*\}|(?<=\w)>[^\]\n]*\]"),
]
ARROW = re.compile(r"\s*(?:--\s[^-\n]*?-->|==\s[^=\n]*?==>|<?(?:-{2,}|={2,}|-\.+-?|~{3,})(?:[->ox])?)\s*")
NODE = re.compile(r"^[A-Za-z_][\w.-]*$")
MERMAID_KEYWORDS = ("flowchart", "graph", "subgraph", "end", "classDef", "class ", "style ", "linkStyle", "click ",
                    "direction", "%%")


def diagram_structure(text: str) -> tuple[str, frozenset[str], frozenset[tuple[str, str]]] | None:
    """(kind, nodes, edges) of a flowchart; None for other diagram kinds."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines or not lines[0].split()[0] in ("flowchart", "graph"):
        return None
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for raw in lines[1:]:
        line = raw.split("%%", 1)[0].rstrip(";").strip()
        if not line or line.startswith(MERMAID_KEYWORDS):
            continue
        for pattern in MERMAID_LABELS:
            for _ in range(3):  # nested shapes: [[x]], ([x]), {{x}}
                line = pattern.sub("", line)
        line = re.sub(r":::\w+", "", line)
        parts = [p for p in ARROW.split(line) if p is not None]
        groups = [[n.strip() for n in part.split("&") if NODE.match(n.strip())] for part in parts if part.strip()]
        for group in groups:
            nodes.update(group)
        for left, right in zip(groups, groups[1:]):
            edges.update((x, y) for x in left for y in right)
    return lines[0].split()[0], frozenset(nodes), frozenset(edges)


def check_diagrams(a: Page, da: Document, b: Page, db: Document) -> list[Finding]:
    findings = []
    if len(da.diagram_blocks) != len(db.diagram_blocks):
        findings.append(Finding(b.uri, None,
            f"Doc file '{b.uri}' has {len(db.diagram_blocks)} Mermaid diagram(s), its counterpart '{a.uri}' has "
            f"{len(da.diagram_blocks)}: draw the same diagrams in both languages."))
        return findings
    for x, y in zip(da.diagram_blocks, db.diagram_blocks):
        sx, sy = diagram_structure(x.text), diagram_structure(y.text)
        if sx is None or sy is None or sx == sy:
            continue
        parts = []
        if sx[1] != sy[1]:
            parts += [f"nodes {', '.join(sorted(sy[1] - sx[1]))} only here" if sy[1] - sx[1] else "",
                      f"nodes {', '.join(sorted(sx[1] - sy[1]))} only there" if sx[1] - sy[1] else ""]
        if sx[2] != sy[2]:
            only_here = sorted(f"{p}-->{q}" for p, q in sy[2] - sx[2])
            only_there = sorted(f"{p}-->{q}" for p, q in sx[2] - sy[2])
            parts += [f"edges {', '.join(only_here)} only here" if only_here else "",
                      f"edges {', '.join(only_there)} only there" if only_there else ""]
        detail = "; ".join(p for p in parts if p) or f"'{sy[0]}' vs '{sx[0]}'"
        findings.append(Finding(b.uri, y.line,
            f"Doc file '{b.uri}' (line {y.line}) has a diagram whose structure differs from its counterpart in "
            f"'{a.uri}' (line {x.line}): {detail}. Labels may differ; nodes and edges may not."))
    return findings


# --- Inline code and table rows, per section --------------------------------------------------
CJK_PUNCTUATION = str.maketrans({"、": ", ", "，": ", ", "～": "-", "–": "-", "—": "-", "：": ": ", "；": "; ",
                                 "（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'"})


def _span(text: str) -> str:
    """Inline code as compared: list punctuation and dashes are notation, not code."""
    return re.sub(r"\s+", " ", text.translate(CJK_PUNCTUATION)).replace(" ,", ",").strip()


TOKEN = re.compile(r"\w+")


def _changed_spans(spans_a: set[str], spans_b: dict[str, int]) -> list[tuple[str, int, str]]:
    """Inline code of one section that its counterpart lacks and that is not just the same code
    cut differently (`list[str]` for `list` … `str`, `use_cache` for `use_cache=False`): a
    translated identifier, or code with its spacing broken (`__init __.py`)."""
    if not spans_a:
        return []
    tokens_a: set[str] | None = None
    squeezed_a: dict[str, str] = {}
    out = []
    for text, line in spans_b.items():
        if text in spans_a or CJK.search(text) or any(text in span for span in spans_a):
            continue
        if tokens_a is None:  # most sections: every span is found above
            tokens_a = {t for span in spans_a for t in TOKEN.findall(span)}
            squeezed_a = {re.sub(r"\s", "", span): span for span in spans_a}
        squeezed = re.sub(r"\s", "", text)
        if squeezed in squeezed_a:
            out.append((text, line, squeezed_a[squeezed]))
        elif not set(TOKEN.findall(text)) <= tokens_a:
            closest = difflib.get_close_matches(text, sorted(spans_a), n=1, cutoff=0) or sorted(spans_a)
            out.append((text, line, closest[0]))
    return out


def check_section_content(a: Page, da: Document, b: Page, db: Document,
                          pairs: Sequence[tuple[Section, Section]]) -> list[Finding]:
    """Each pair of sections has the same inline code (identifiers are not translated) and the
    same number of table rows (a row left out is a fact left out)."""
    findings = []
    data_a, data_b = _sections_data(da), _sections_data(db)
    for xa, xb in pairs:
        if xb.pending:
            continue
        _, _, _, code_a, rows_a, blocks_a = data_a(xa)
        _, _, _, code_b, rows_b, blocks_b = data_b(xb)
        spans_a = {text for text, _ in code_a}
        spans_b: dict[str, int] = {}
        for text, line in code_b:
            spans_b.setdefault(text, line)
        changed = _changed_spans(spans_a, spans_b)
        lost = {text for text, _, _ in _changed_spans(set(spans_b), {x: 0 for x in spans_a})}
        if changed and lost:  # one replaced by the other, not code added or dropped with a sentence
            text, line, _ = changed[0]
            closest = (difflib.get_close_matches(text, sorted(lost), n=1, cutoff=0) or sorted(lost))[0]
            findings.append(Finding(b.uri, line,
                f"Doc file '{b.uri}' (line {line}): section '{_label(xb)}' has the inline code '{text}' where its "
                f"counterpart in '{a.uri}' has '{closest}': inline code is the same in every language."))
        if len(rows_a) != len(rows_b):
            line = rows_b[0] if rows_b else xb.start
            findings.append(Finding(b.uri, line,
                f"Doc file '{b.uri}' (line {line}): section '{_label(xb)}' has {len(rows_b)} table row(s), its "
                f"counterpart in '{a.uri}' (line {rows_a[0] if rows_a else xa.start}) has {len(rows_a)}: "
                f"translate every row."))
        for kind in ("list item", "admonition", "quote", "tab"):
            na = [line for line, k in blocks_a if k == kind]
            nb = [line for line, k in blocks_b if k == kind]
            if len(na) != len(nb):
                line = nb[0] if nb else xb.start
                findings.append(Finding(b.uri, line,
                    f"Doc file '{b.uri}' (line {line}): section '{_label(xb)}' has {len(nb)} {kind}(s), its counterpart "
                    f"in '{a.uri}' (line {na[0] if na else xa.start}) has {len(na)}: translate every {kind}."))
    return findings
