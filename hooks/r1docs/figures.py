"""Figure parity: the numbers stated on a page pair agree, whatever notation each language uses.

`6710 亿`, `671B` and `671 billion` are one figure; so are `2,788K` and `278.8 万`, and
`７９.８％` and `79.8%`. Integers up to 10 and years are ignored by rule; a page can list
further exceptions in a visible comment: `<!-- figure-parity: ignore 3.5, 2024-12 -->`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from itertools import chain

from . import document
from .document import Document
from .model import Finding, Page

NUMBER = re.compile(
    r"""(?P<value>\d(?<![A-Za-z0-9_.\-/#]\d)  # not the tail of a name such as V3, H800 or a URL; a
                                          # digit first, so the engine skips to the next digit
        (?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?))
        (?:\s?多?\s?(?P<unit>万亿|千亿|百亿|亿|千万|百万|万|千(?![克米瓦焦帕赫卡字])|%
            |[KMBT](?![A-Za-z])|k(?![A-Za-z])
            |thousand\b|million\b|billion\b|trillion\b))?
        (?![\d])""",
    re.X,
)
TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "兩": "两"})  # zh-Hant and Japanese write these
URL = re.compile(r"\S+://\S+|www\.\S+")
SCALE = {
    "千万": 7, "百万": 6, "千亿": 11, "百亿": 10,
    "千": 3, "K": 3, "k": 3, "thousand": 3,
    "万": 4,
    "M": 6, "million": 6,
    "亿": 8,
    "B": 9, "billion": 9,
    "万亿": 12, "T": 12, "trillion": 12,
}
# Chinese number words of a thousand and more: 两万, 三千五百, 十二万 (smaller ones are often
# written as words in the other language too, and are ignored like small integers).
CHINESE_NUMBER = re.compile(r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*[千万亿][零〇一二两三四五六七八九十百千万亿]*(?![克米瓦焦帕赫卡])")
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10**4, "亿": 10**8}
IGNORE_COMMENT = re.compile(r"<!--\s*figure-parity:\s*ignore\s+(?P<values>.*?)\s*-->", re.S)
SMALL_INTEGER = 10
YEARS = range(1990, 2031)


NOTATIONS = ("zh", "en", "ja", "ko")
"""Languages whose number notation this module reads (others write 42,5 or %100)."""


def knows(lang: str) -> bool:
    return lang.split("-")[0].split("_")[0].lower() in NOTATIONS


@functools.lru_cache(maxsize=65536)
def normalise(value: str, unit: str | None) -> str | None:
    """A comparable key for one figure, or None when the rule ignores it."""
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None
    if unit == "%":
        return f"{number.normalize():f}%"
    if unit:
        number = number.scaleb(SCALE[unit])
    elif number == number.to_integral_value() and (number <= SMALL_INTEGER or int(number) in YEARS):
        return None
    if number == number.to_integral_value() and number >= 10 and str(int(number)).rstrip("0") == "1":
        return None  # a round order of magnitude (100, 1000, 100 万) is as often written in words
    return f"{number.normalize():f}"


def chinese_value(word: str) -> int:
    """两万 -> 20000, 三千五百 -> 3500, 十二万 -> 120000."""
    total, section, digit = 0, 0, 0
    for char in word:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in UNITS:
            section += (digit or 1) * UNITS[char]
            digit = 0
        elif char in BIG:
            total = (total + section + digit) * BIG[char] if char == "亿" else total + (section + digit) * BIG[char]
            section, digit = 0, 0
    return total + section + digit


# Texts are read as one string, each ended by this separator: no figure, unit or URL reaches
# across it (it is whitespace around a character no pattern takes), and NFKC composes nothing
# across it, so the figures are those of each text read alone, for one pass of each pattern.
SEPARATOR = " \x00 "


def figures(texts: Iterable[tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Figures in (line, text) pairs: key -> (first line, figure as written)."""
    found: dict[str, tuple[int, str]] = {}
    lines, ends, parts, length = [], [], [], 0
    for line, text in texts:
        if "\x00" in text:  # as markdown-it reads it, so the separator stays unique
            text = text.replace("\x00", "\ufffd")
        parts.append(text)
        length += len(text) + len(SEPARATOR)
        lines.append(line)
        ends.append(length)
    if not parts:
        return found
    text = SEPARATOR.join(parts) + SEPARATOR
    # The full-width comma is punctuation, never a thousands separator ('512$，128 个头'):
    # NFKC would turn it into ',' and join the two numbers.
    plain = text.isascii()  # ASCII is its own NFKC form and holds no Chinese number word
    if not plain:
        text = unicodedata.normalize("NFKC", text.replace("\uff0c", "; ")).translate(TRADITIONAL)
        # NFKC may change the length of a text: the ends are found again from the separators.
        ends = [m.end() for m in re.finditer(re.escape(SEPARATOR), text)]
    if "://" in text or "www." in text:
        text = URL.sub(lambda m: " " * len(m[0]), text)  # blanked, not removed: the ends stay put
    # In the order of a text at a time: its figures in digits, then its number words.
    matches = [(bisect_right(ends, m.start()), 0, key, m[0].strip()) for m in NUMBER.finditer(text)
               if (key := normalise(m["value"], m["unit"])) is not None]
    if not plain:
        matches += [(bisect_right(ends, m.start()), 1, f"{value}", m[0]) for m in CHINESE_NUMBER.finditer(text)
                    if str(value := chinese_value(m[0])).rstrip("0") != "1"]  # 一万亿, 十万: orders of magnitude
        matches.sort(key=lambda x: x[:2])  # stable: each text's matches stay in reading order
    for index, _, key, written in matches:
        found.setdefault(key, (lines[index], written))
    return found


def page_figures(scan: Document) -> dict[str, tuple[int, str]]:
    segments = [*scan.figure_text, *scan.block_math, *scan.diagrams]
    return figures((s.line, s.text) for s in sorted(segments, key=lambda s: s.line))


def ignored(scan: Document) -> set[str]:
    """Figures a page exempts in a `figure-parity: ignore` comment."""
    keys: set[str] = set()
    for m in IGNORE_COMMENT.finditer(scan.text):
        keys.update(figures([(0, m["values"])]))
    return keys


def _derived(scan: Document) -> dict:
    """A page's figures and exemptions as JSON data, kept with its view (`document.DERIVED`)."""
    return {"figures": {key: [line, written] for key, (line, written) in page_figures(scan).items()},
            "ignored": sorted(ignored(scan))}


def _derived_valid(results: list) -> bool:
    found = [r.get("figures") for r in results if type(r) is dict]
    ignored = [r.get("ignored") for r in results if type(r) is dict]
    return (len(found) == len(results) and set(map(type, found)) <= {dict} and set(map(type, ignored)) <= {list}
            and document.rows_valid(list(chain.from_iterable(f.values() for f in found)), ({int}, {str}))
            and set(map(type, chain.from_iterable(ignored))) <= {str})


document.DERIVED["figures"] = (_derived, _derived_valid)


def check_figures(a: Page, sa: Document, b: Page, sb: Document) -> list[Finding]:
    findings = []
    da, db = document.derive(sa, "figures"), document.derive(sb, "figures")
    fa, fb = da["figures"], db["figures"]
    exempt = {*da["ignored"], *db["ignored"]}
    for here, there, page, other in ((fa, fb, a, b), (fb, fa, b, a)):
        for key, (line, written) in here.items():
            if key not in there and key not in exempt:
                findings.append(Finding(
                    page.uri, line,
                    f"Doc file '{page.uri}' (line {line}) states the figure '{written}', which its "
                    f"counterpart '{other.uri}' does not: state the same figure in both languages.",
                ))
    return findings
