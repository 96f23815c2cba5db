"""Reader-facing typesetting of a finished page: diagrams that stay legible at every width,
charts drawn from a small data block, and the line breaks clreq and English rules forbid.

Pure functions from page HTML to page HTML, applied by the hook in `on_post_page`, around
the math and diagram renderer (`prerender.py`): `before_render` sees the sources, `after_render`
the rendered SVG.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from . import chart

# --- Diagrams -------------------------------------------------------------------------------
# Smallest text a diagram may show on screen (body text is 16 px), and the widest text column
# Material gives an article on a desktop (1400 px window: 688 px).
MIN_TEXT_PX = 10.0
DESKTOP_COLUMN_PX = 688.0

MERMAID_SOURCE = re.compile(
    r'<pre class="mermaid-source"(?P<attrs>(?: data-search-exclude)?)><code>(?P<src>.*?)</code></pre>', re.S)
# A left-right flowchart is wide; the same graph top-down is usually narrow enough for a phone.
DIRECTION = re.compile(r"\A(?P<indent>\s*(?:%%[^\n]*\n\s*)*)(?P<kind>graph|flowchart)[ \t]+(?P<dir>LR|RL)\b")
VARIANTS = re.compile(r'<div class="r1-layouts">(?P<body>.*?)</div><!--/r1-layouts-->', re.S)
FIGURE = re.compile(r'<figure class="diagram"(?P<attrs>[^>]*)>(?P<svg><svg\b.*?</svg>)</figure>', re.S)
VIEWBOX = re.compile(r'<svg\b[^>]*\bviewBox="[-\d.]+ [-\d.]+ (?P<w>[\d.]+) (?P<h>[\d.]+)"')
FONT_SIZE = re.compile(r'font-size(?:="|:\s*)(?P<px>[\d.]+)')


def transposed(src: str) -> str | None:
    """The same flowchart laid out top-down, or None when it is not a left-right flowchart."""
    m = DIRECTION.match(src)
    if m is None:
        return None
    return src[: m.start("dir")] + ("TD" if m["dir"] == "LR" else "BT") + src[m.end("dir"):]


def add_layouts(page_html: str) -> str:
    """Give every left-right flowchart a top-down twin (rendered alongside it); `after_render`
    keeps the one that fits each screen."""

    def twin(m: re.Match) -> str:
        other = transposed(html.unescape(m["src"]))
        if other is None:
            return m[0]
        copy = f'<pre class="mermaid-source"{m["attrs"]}><code>{html.escape(other, quote=False)}</code></pre>'
        return f'<div class="r1-layouts">{m[0]}{copy}</div><!--/r1-layouts-->'

    return MERMAID_SOURCE.sub(twin, page_html)


def legible_width(svg: str) -> float | None:
    """The narrowest width (CSS px) at which every label of `svg` is at least MIN_TEXT_PX."""
    box = VIEWBOX.search(svg)
    sizes = [float(x) for x in FONT_SIZE.findall(svg)]
    if box is None or not sizes:
        return None
    return float(box["w"]) * MIN_TEXT_PX / min(sizes)


def _figure(m: re.Match, extra_class: str = "") -> str:
    width = legible_width(m["svg"])
    style = f' style="--r1-legible-width:{width:.0f}px"' if width else ""
    cls = f"diagram {extra_class}".strip()
    return f'<figure class="{cls}"{m["attrs"]}{style}>{label_notation(m["svg"])}</figure>'


def choose_layouts(page_html: str) -> str:
    """Size every diagram so no label drops below MIN_TEXT_PX (a narrower screen scrolls it),
    and of two layouts keep the one that fits a desktop column and the narrower one for phones."""

    def choose(m: re.Match) -> str:
        figures = list(FIGURE.finditer(m["body"]))
        if not figures:  # neither layout could be drawn: the renderer has reported it
            return m["body"]
        if len(figures) == 1:
            return _figure(figures[0])
        widths = [legible_width(f["svg"]) or float("inf") for f in figures]
        narrow = min(range(len(figures)), key=widths.__getitem__)
        wide = 0 if widths[0] <= DESKTOP_COLUMN_PX else narrow
        if wide == narrow:
            return _figure(figures[narrow])
        return _figure(figures[wide], "r1-wide-only") + _figure(figures[narrow], "r1-narrow-only")

    page_html = VARIANTS.sub(lambda m: "\x00" + choose(m) + "\x01", page_html)
    # Diagrams that had a single layout get their legible width too.
    parts = re.split(r"(\x00.*?\x01)", page_html, flags=re.S)
    return "".join(p[1:-1] if p.startswith("\x00") else FIGURE.sub(_figure, p) for p in parts)


# Diagram labels name symbols in ASCII (u_t, c_KV, π_old, W^UK): drawn as real sub- and
# superscripts. A base is one letter (with an optional prime) not preceded by a letter, digit
# or underscore, so snake_case words and model names are left alone.
LABEL_TEXT = re.compile(r"(?P<open><text\b(?P<attrs>[^>]*)>)(?P<body>.*?)(?P<close></text>)", re.S)
SCRIPT_NOTATION = re.compile(
    r"(?<![\w\\])(?P<base>[A-Za-zα-ωΑ-Ω]['′]?)(?P<op>[_^])(?P<arg>\{[^{}<]+\}|[A-Za-z0-9α-ωΑ-Ω]{1,4})(?![\w{])")
SUBSCRIPT_SCALE = 0.8


def label_notation(svg: str) -> str:
    """Sub- and superscripts in the labels of an SVG diagram, never smaller than its smallest
    label (which its legible width keeps at MIN_TEXT_PX or more on screen)."""
    sizes = [float(x) for x in FONT_SIZE.findall(svg)]
    smallest = min(sizes, default=MIN_TEXT_PX)

    def text(m: re.Match) -> str:
        size = FONT_SIZE.search(m["attrs"])
        px = max(smallest, round(float(size["px"]) * SUBSCRIPT_SCALE, 1)) if size else None
        script_size = f' font-size="{px:g}"' if px else ' font-size="80%"'

        def script(s: re.Match) -> str:
            shift = "sub" if s["op"] == "_" else "super"
            arg = s["arg"][1:-1] if s["arg"].startswith("{") else s["arg"]
            return f'{s["base"]}<tspan baseline-shift="{shift}"{script_size}>{arg}</tspan>'

        body = re.sub(r"[^<>]+(?=<|$)", lambda t: SCRIPT_NOTATION.sub(script, t[0]), m["body"])
        return m["open"] + body + m["close"]

    return LABEL_TEXT.sub(text, svg)


# --- Line breaks ------------------------------------------------------------------------------
# An inline formula is an atomic box: the browser may break the line right after it, so the
# punctuation that follows starts a line. clreq forbids that for 。，、；：？！ and closing
# brackets (and opening brackets at a line end); English for ".", ",". Formula and punctuation
# are wrapped together in a span that does not break. A MathML formula never breaks inside
# itself, so the span costs a long formula nothing it had: every formula is wrapped.
INLINE_MATH_WITH_PUNCTUATION = re.compile(
    r"""(?P<open>[（「『“‘(\[]*)
        (?P<math><span\ class="arithmatex"(?:\ data-search-exclude)?>\\\((?P<tex>.*?)\\\)</span>)
        (?P<close>[。，、；：？！）」』”’,.;:?!)\]%]*)""",
    re.S | re.X,
)


def keep_punctuation_with_math(page_html: str) -> str:
    def wrap(m: re.Match) -> str:
        if not m["open"] and not m["close"]:
            return m[0]
        return f'<span class="r1-nobr">{m[0]}</span>'

    page_html = INLINE_MATH_WITH_PUNCTUATION.sub(wrap, page_html)
    return INLINE_WORD_WITH_PUNCTUATION.sub(r'<span class="r1-nobr">\g<0></span>', page_html)


# A short link or code span (a glossary term, an identifier) is held with the closing
# punctuation right after it too: Chromium may break between an inline element's end and
# a full-width bracket or comma. Only plain-text ones, short enough never to need a break.
INLINE_WORD_WITH_PUNCTUATION = re.compile(
    r"""<(?P<tag>a|code)\b[^>]*>[^<]{1,12}</(?P=tag)>[。，、；：？！）」』”’]+""", re.X)


# --- The two passes -------------------------------------------------------------------------
def before_render(page_html: str) -> tuple[str, list[str]]:
    """On the page with its math and diagram sources: returns the new HTML and the errors."""
    page_html = keep_punctuation_with_math(page_html)
    page_html, errors = chart.render_charts(page_html)
    return add_layouts(page_html), errors


def after_render(page_html: str) -> str:
    return mathml_core(choose_layouts(page_html))


# --- MathML Core -----------------------------------------------------------------------------
# KaTeX marks styled letters with `mathvariant` ("bold", "script", ...). MathML Core, what
# Chromium implements, keeps only mathvariant="normal": the styled letters are the Unicode
# Mathematical Alphanumeric Symbols instead (𝐮, ℒ, 𝔼), which the math font draws.
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
# First code point of A, a, 0, Α (Greek capital) and α in each style; None where Unicode has none.
_STYLES = {
    "bold": (0x1D400, 0x1D41A, 0x1D7CE, 0x1D6A8, 0x1D6C2),
    "italic": (0x1D434, 0x1D44E, None, 0x1D6E2, 0x1D6FC),
    "bold-italic": (0x1D468, 0x1D482, None, 0x1D71C, 0x1D736),
    "script": (0x1D49C, 0x1D4B6, None, None, None),
    "bold-script": (0x1D4D0, 0x1D4EA, None, None, None),
    "fraktur": (0x1D504, 0x1D51E, None, None, None),
    "double-struck": (0x1D538, 0x1D552, 0x1D7D8, None, None),
    "bold-fraktur": (0x1D56C, 0x1D586, None, None, None),
    "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2, None, None),
    "bold-sans-serif": (0x1D5D4, 0x1D5EE, 0x1D7EC, 0x1D756, 0x1D770),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6, None, None),
}
# Letters Unicode had encoded before the block; their slots in it are empty.
_HOLES = {
    0x1D455: "ℎ", 0x1D49D: "ℬ", 0x1D4A0: "ℰ", 0x1D4A1: "ℱ", 0x1D4A3: "ℋ", 0x1D4A4: "ℐ", 0x1D4A7: "ℒ",
    0x1D4A8: "ℳ", 0x1D4AD: "ℛ", 0x1D4BA: "ℯ", 0x1D4BC: "ℊ", 0x1D4C4: "ℴ", 0x1D506: "ℭ", 0x1D50B: "ℌ",
    0x1D50C: "ℑ", 0x1D515: "ℜ", 0x1D51D: "ℨ", 0x1D53A: "ℂ", 0x1D53F: "ℍ", 0x1D545: "ℕ", 0x1D547: "ℙ",
    0x1D548: "ℚ", 0x1D549: "ℝ", 0x1D551: "ℤ",
}


def _styled(char: str, variant: str) -> str:
    starts = _STYLES.get(variant)
    if starts is None:
        return char
    code = ord(char)
    for first, (low, high) in zip(starts, [(0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39), (0x391, 0x3A9), (0x3B1, 0x3C9)]):
        if first is not None and low <= code <= high:
            mapped = first + code - low
            return _HOLES.get(mapped, chr(mapped))
    return char


MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.S)
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
SCRIPTED = {"msub": 1, "msup": 1, "msubsup": 1, "munder": 1, "mover": 1, "munderover": 1}


def _q(tag: str) -> str:
    return f"{{{MATHML_NS}}}{tag}"


def _core(math: ET.Element) -> None:
    parents = {child: parent for parent in math.iter() for child in parent}
    for el in math.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        variant = el.get("mathvariant")
        # Styled letters: Unicode math letters (see _STYLES).
        if tag in ("mi", "mn") and variant in _STYLES and el.text:
            el.text = "".join(_styled(c, variant) for c in el.text)
            del el.attrib["mathvariant"]
            if tag == "mi" and len(el.text) == 1:
                el.set("mathvariant", "normal")  # already styled: not italicised again
        # TeX sets no space around operators in sub- and superscripts; MathML Core does.
        if tag == "mo" and _in_script(el, parents):
            el.set("lspace", "0")
            el.set("rspace", "0")
    # A function name (log, clip, mean) after a symbol gets TeX's thin space before it.
    for parent in math.iter():
        children = list(parent)
        for i, child in enumerate(children):
            if (i > 0 and child.tag == _q("mi") and child.text and len(child.text) > 1
                    and children[i - 1].tag not in (_q("mo"), _q("mspace"))):
                space = ET.Element(_q("mspace"), {"width": "0.1667em"})
                parent.insert(list(parent).index(child), space)


def _in_script(el: ET.Element, parents: dict) -> bool:
    while el in parents:
        parent = parents[el]
        if parent.tag.rsplit("}", 1)[-1] in SCRIPTED and list(parent).index(el) >= SCRIPTED[parent.tag.rsplit("}", 1)[-1]]:
            return True
        el = parent
    return False


def mathml_core(page_html: str) -> str:
    """KaTeX's MathML made to render as TeX would in MathML Core browsers: styled letters as
    Unicode math letters, no operator spacing in scripts, a thin space before function names.
    Each <math> element is well-formed XML (KaTeX writes it so) and is edited as a tree."""

    def fix(m: re.Match) -> str:
        try:
            math = ET.fromstring(m[0])
        except ET.ParseError:
            return m[0]
        _core(math)
        # Registered for each formula: the registry is global, and the sitemap writer puts its
        # own default namespace there between two builds of `mkdocs serve`.
        ET.register_namespace("", MATHML_NS)
        return ET.tostring(math, encoding="unicode", short_empty_elements=True)

    return MATH_ELEMENT.sub(fix, page_html)
