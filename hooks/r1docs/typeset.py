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

from . import chart, html_tree, progressive
from .columns import DESKTOP_COLUMN_PX, VIEWBOX_VALUE
from .model import paused_gc

# --- Diagrams -------------------------------------------------------------------------------
# Smallest text a diagram may show on screen (body text is 16 px).
MIN_TEXT_PX = 10.0

# A left-right flowchart is wide; the same graph top-down is usually narrow enough for a phone.
DIRECTION = re.compile(r"\A(?P<indent>\s*(?:%%[^\n]*\n\s*)*)(?P<kind>graph|flowchart)[ \t]+(?P<dir>LR|RL)\b")
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
    return _on_article(page_html, _add_layouts)


def _add_layouts(doc: html_tree.Element) -> None:
    for pre in doc.iter("pre"):
        if pre.classes() != ["mermaid-source"] or len(pre.children) != 1:
            continue
        if isinstance(pre.children[0], html_tree.Raw):  # parsed as one piece (opaque): open it
            inner = html_tree.parse(pre.children[0].raw).children
            pre.children.clear()
            pre.touch()
            for child in inner:
                pre.append(child)
            if len(pre.children) != 1:
                continue
        code = pre.children[0]
        if not isinstance(code, html_tree.Element) or code.tag != "code" or not all(isinstance(c, str) for c in code.children):
            continue
        other = transposed(html.unescape("".join(code.children)))
        if other is None:
            continue
        copy = html_tree.Element("pre", start=pre.start_tag(), children=[
            html_tree.Element("code", start=code.start_tag(), children=[html.escape(other, quote=False)])])
        pre.parent.replace(pre, [html_tree.Element("div", {"class": "r1-layouts"}, [pre, copy])])


def legible_width(svg: str) -> float | None:
    """The narrowest width (CSS px) at which every label of `svg` is at least MIN_TEXT_PX."""
    return _legible_width(next(html_tree.parse(svg).iter("svg"), None))


def _diagram_svg(figure: html_tree.Element) -> html_tree.Element | None:
    """The SVG a diagram figure holds (the renderer writes it as the figure's only child)."""
    kids = [c for c in figure.children if not (isinstance(c, str) and not c.strip())]
    if len(kids) == 1 and isinstance(kids[0], html_tree.Element) and kids[0].tag == "svg":
        return kids[0]
    return None


def _size_figure(figure: html_tree.Element, extra_class: str = "") -> html_tree.Element:
    svg = _diagram_svg(figure)
    width = _legible_width(svg)
    attrs = {"class": f"diagram {extra_class}".strip(), **{k: v for k, v in figure.attrs.items() if k != "class"}}
    if width:
        attrs["style"] = f"--r1-legible-width:{width:.0f}px"
    _label_notation(svg)
    figure.set_attrs(attrs)
    return figure


def _is_diagram(el: html_tree.Element) -> bool:
    return el.tag == "figure" and el.classes() == ["diagram"] and _diagram_svg(el) is not None


def choose_layouts(page_html: str) -> str:
    """Size every diagram so no label drops below MIN_TEXT_PX (a narrower screen scrolls it),
    and of two layouts keep the one that fits a desktop column and the narrower one for phones."""
    return _on_article(page_html, _choose_layouts)


def _choose_layouts(doc: html_tree.Element) -> None:
    for box in doc.iter("div"):
        if box.classes() != ["r1-layouts"]:
            continue
        figures = [c for c in box.children if isinstance(c, html_tree.Element) and _is_diagram(c)]
        chosen: list[html_tree.Node] = list(box.children)  # neither layout drawn: the renderer has reported it
        if len(figures) == 1:
            chosen = [_size_figure(figures[0])]
        elif figures:
            widths = [_legible_width(_diagram_svg(f)) or float("inf") for f in figures]
            narrow = min(range(len(figures)), key=widths.__getitem__)
            wide = 0 if widths[0] <= DESKTOP_COLUMN_PX else narrow
            chosen = ([_size_figure(figures[narrow])] if wide == narrow else
                      [_size_figure(figures[wide], "r1-wide-only"), _size_figure(figures[narrow], "r1-narrow-only")])
        parent = box.parent
        parent.replace(box, chosen)
        _drop_marker(parent, chosen[-1] if chosen else None)
    # Diagrams that had a single layout get their legible width too.
    for figure in doc.iter("figure"):
        if _is_diagram(figure):
            _size_figure(figure)


def _drop_marker(parent: html_tree.Element, after: html_tree.Node | None) -> None:
    """The end marker an earlier version of `add_layouts` wrote after a layouts box."""
    kids = parent.children
    i = next((i for i, c in enumerate(kids) if c is after), -1) + 1
    if i < len(kids) and isinstance(kids[i], html_tree.Raw) and kids[i].raw == "<!--/r1-layouts-->":
        del kids[i]


def _font_sizes(svg: html_tree.Element) -> list[float]:
    """Every font size an SVG sets: in attributes, style attributes and its <style> sheets."""
    sizes = []
    for el in svg.iter():
        if el.tag == "style":
            sizes += [float(x) for x in FONT_SIZE.findall("".join(c for c in el.children if isinstance(c, str)))]
        elif "font-size" in el.attrs_source():
            sizes += [float(x) for x in FONT_SIZE.findall(el.attrs_source())]
    return sizes


def _legible_width(svg: html_tree.Element | None) -> float | None:
    if svg is None:
        return None
    box = VIEWBOX_VALUE.match(svg.get("viewbox") or "")
    sizes = _font_sizes(svg)
    if box is None or not sizes:
        return None
    return float(box["w"]) * MIN_TEXT_PX / min(sizes)


# Diagram labels name symbols in ASCII (u_t, c_KV, π_old, W^UK): drawn as real sub- and
# superscripts. A base is one letter (with an optional prime) not preceded by a letter, digit
# or underscore, so snake_case words and model names are left alone.
SCRIPT_NOTATION = re.compile(
    r"(?<![\w\\])(?P<base>[A-Za-zα-ωΑ-Ω]['′]?)(?P<op>[_^])(?P<arg>\{[^{}<]+\}|[A-Za-z0-9α-ωΑ-Ω]{1,4})(?![\w{])")
SUBSCRIPT_SCALE = 0.8


def label_notation(svg: str) -> str:
    """Sub- and superscripts in the labels of an SVG diagram, never smaller than its smallest
    label (which its legible width keeps at MIN_TEXT_PX or more on screen)."""
    doc = html_tree.parse(svg)
    for el in doc.iter("svg"):
        _label_notation(el)
    return doc.source()


def _label_notation(svg: html_tree.Element | None) -> None:
    if svg is None:
        return
    smallest = min(_font_sizes(svg), default=MIN_TEXT_PX)
    for label in svg.iter("text"):
        size = FONT_SIZE.search(label.attrs_source())
        px = max(smallest, round(float(size["px"]) * SUBSCRIPT_SCALE, 1)) if size else None
        script_size = f' font-size="{px:g}"' if px else ' font-size="80%"'

        def script(s: re.Match) -> str:
            shift = "sub" if s["op"] == "_" else "super"
            arg = s["arg"][1:-1] if s["arg"].startswith("{") else s["arg"]
            return f'{s["base"]}<tspan baseline-shift="{shift}"{script_size}>{arg}</tspan>'

        for el in label.iter():
            for i, child in enumerate(el.children):
                if isinstance(child, str) and SCRIPT_NOTATION.search(child):
                    el.children[i] = html_tree.Raw(SCRIPT_NOTATION.sub(script, child))
                    el.touch()


# --- Line breaks ------------------------------------------------------------------------------
# An inline formula is an atomic box: the browser may break the line right after it, so the
# punctuation that follows starts a line. clreq forbids that for 。，、；：？！ and closing
# brackets (and opening brackets at a line end); English for ".", ",". Formula and punctuation
# are wrapped together in a span that does not break. A MathML formula never breaks inside
# itself, so the span costs a long formula nothing it had: every formula is wrapped.
OPENING = "（「『“‘(["
CLOSING_AFTER_MATH = "。，、；：？！）」』”’,.;:?!)]%"
# A short link or code span (a glossary term, an identifier) is held with the closing
# punctuation right after it too: Chromium may break between an inline element's end and
# a full-width bracket or comma. Only plain-text ones, short enough never to need a break.
CLOSING_AFTER_WORD = "。，、；：？！）」』”’"
SHORT_WORD = 12


def keep_punctuation_with_math(page_html: str) -> str:
    return _on_article(page_html, _keep_punctuation)


def _is_inline_math(el: html_tree.Element) -> bool:
    if el.tag != "span" or el.classes() != ["arithmatex"] or len(el.children) != 1:
        return False
    tex = el.children[0]
    return isinstance(tex, str) and tex.startswith("\\(") and tex.endswith("\\)")


def _is_short_word(el: html_tree.Element) -> bool:
    return (el.tag in ("a", "code") and len(el.children) == 1 and isinstance(el.children[0], str)
            and 1 <= len(el.children[0]) <= SHORT_WORD)


def _run(text: object, chars: str, from_end: bool) -> int:
    """How many of `chars` `text` starts (or ends) with; 0 when it is not text."""
    if not isinstance(text, str):
        return 0
    stripped = text.rstrip(chars) if from_end else text.lstrip(chars)
    return len(text) - len(stripped)


def _keep_punctuation(doc: html_tree.Element) -> None:
    # Formulas first, then links and code (as the rule for each reads them).
    candidates = [(el, True) for el in doc.iter("span") if _is_inline_math(el)]
    candidates += [(el, False) for tag in ("a", "code") for el in doc.iter(tag) if _is_short_word(el)]
    for el, math in candidates:
        if el.parent is None:
            continue
        parent = el.parent
        kids = parent.children
        i = next(i for i, c in enumerate(kids) if c is el)
        before = kids[i - 1] if i > 0 else None
        after = kids[i + 1] if i + 1 < len(kids) else None
        opening = _run(before, OPENING, from_end=True) if math else 0
        closing = _run(after, CLOSING_AFTER_MATH if math else CLOSING_AFTER_WORD, from_end=False)
        if not opening and not closing:
            continue
        held: list[html_tree.Node] = [el]
        segment: list[html_tree.Node] = []
        lo, hi = i, i + 1
        if opening:
            held.insert(0, before[-opening:])
            segment += [before[:-opening]] if len(before) > opening else []
            lo = i - 1
        wrapper = html_tree.Element("span", {"class": "r1-nobr"})
        segment.append(wrapper)
        if closing:
            held.append(after[:closing])
            segment += [after[closing:]] if len(after) > closing else []
            hi = i + 2
        for node in held:
            wrapper.append(node)
        wrapper.parent = parent
        kids[lo:hi] = segment
        parent.touch()


# --- Tables ------------------------------------------------------------------------------------
# Material's bundle wraps every table without a class in two boxes when the page has loaded
# (the outer one scrolls): it takes each table out of the page and puts it back, and the
# browser styles and lays out every cell again. Wrapped here, with a class so that the bundle
# leaves it alone, the table is laid out once; site.css gives `r1-table` Material's table style.
TABLE_CLASS = "r1-table"


def _wrap_tables(doc: html_tree.Element) -> None:
    for table in list(doc.iter("table")):
        if table.get("class") is not None:
            continue
        table.set("class", TABLE_CLASS)
        inner = html_tree.Element("div", {"class": "md-typeset__table"})
        parent = table.parent
        parent.replace(table, [html_tree.Element("div", {"class": "md-typeset__scrollwrap"}, [inner])])
        inner.append(table)


# A table whose corner cell is empty has its row labels in the first column: they are header
# cells (`<th scope="row">`), so that a screen reader names the row of every value it reads
# (axe: td-has-header). site.css keeps them looking as the data cells beside them.
_TAG_OR_SPACE = re.compile(r"<[^>]*>|&nbsp;|\s")


def _row_headers(doc: html_tree.Element) -> None:
    for table in list(doc.iter("table")):
        head = next(table.iter("thead"), None)
        corner = next((c for c in head.iter() if c.tag in ("th", "td")), None) if head is not None else None
        if corner is None or _TAG_OR_SPACE.sub("", corner.inner_source()):
            continue
        for body in table.iter("tbody"):
            for row in body.iter("tr"):
                first = next((c for c in row.children if isinstance(c, html_tree.Element)), None)
                if first is not None and first.tag == "td":
                    row.replace(first, [html_tree.Element("th", {**first.attrs, "scope": "row"}, list(first.children))])


# --- The two passes -------------------------------------------------------------------------
def before_render(page_html: str) -> tuple[str, list[str]]:
    """On the page with its math and diagram sources: returns the new HTML and the errors."""
    page_html, errors = chart.render_charts(page_html)
    return _on_article(page_html, _keep_punctuation, _add_layouts, opaque=("svg", "pre")), errors


def after_render(page_html: str) -> str:
    return _on_article(page_html, _choose_layouts, _wrap_tables, _row_headers, _mathml_core, progressive.chunk_sections,
                       opaque=("math", "pre"))


# The passes change the article alone: the page around it (navigation, header, scripts) is
# not parsed, and comes back as it was.
ARTICLE_START = '<article class="md-content__inner md-typeset">'


def _on_article(page_html: str, *passes, opaque: tuple[str, ...] = ()) -> str:
    start = page_html.find(ARTICLE_START)
    end = page_html.rfind("</article>")
    if start < 0 or end < start:
        start, end = 0, len(page_html)
    with paused_gc():
        doc = html_tree.parse(page_html[start:end], opaque)
        for apply in passes:
            apply(doc)
        out = page_html[:start] + doc.source() + page_html[end:]
        html_tree.dismantle(doc)
    return out


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
    Unicode math letters, no operator spacing in scripts, a thin space before function names."""
    return _on_article(page_html, _mathml_core, opaque=("math",))


def _mathml_core(doc: html_tree.Element) -> None:
    """Each <math> element is well-formed XML (KaTeX writes it so) and is edited as an XML tree."""
    for el in doc.iter("math"):
        try:
            math = ET.fromstring(el.source())
        except ET.ParseError:
            continue
        _core(math)
        # Registered for each formula: the registry is global, and the sitemap writer puts its
        # own default namespace there between two builds of `mkdocs serve`.
        ET.register_namespace("", MATHML_NS)
        el.parent.replace(el, [html_tree.Raw(ET.tostring(math, encoding="unicode", short_empty_elements=True))])
