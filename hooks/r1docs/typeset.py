"""Reader-facing typesetting of a finished page: diagrams that stay legible at every width,
charts drawn from a small data block, and the line breaks clreq and English rules forbid.

Pure functions from page HTML to page HTML, applied by the hook in `on_post_page`, around
the math and diagram renderer (`prerender.py`): `before_render` sees the sources, `after_render`
the rendered SVG.
"""

from __future__ import annotations

import html
import re

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
    return f'<figure class="{cls}"{m["attrs"]}{style}>{m["svg"]}</figure>'


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


# --- Line breaks ------------------------------------------------------------------------------
# An inline formula is an atomic box: the browser may break the line right after it, so the
# punctuation that follows starts a line. clreq forbids that for 。，、；：？！ and closing
# brackets (and opening brackets at a line end); English for ".", ",". Formula and punctuation
# are wrapped together in a span that does not break.
INLINE_MATH_WITH_PUNCTUATION = re.compile(
    r"""(?P<open>[（「『“‘(\[]*)
        (?P<math><span\ class="arithmatex"(?:\ data-search-exclude)?>\\\(.*?\\\)</span>)
        (?P<close>[。，、；：？！）」』”’,.;:?!)\]%]*)""",
    re.S | re.X,
)


def keep_punctuation_with_math(page_html: str) -> str:
    def wrap(m: re.Match) -> str:
        if not m["open"] and not m["close"]:
            return m[0]
        return f'<span class="r1-nobr">{m[0]}</span>'

    return INLINE_MATH_WITH_PUNCTUATION.sub(wrap, page_html)


# --- The two passes -------------------------------------------------------------------------
def before_render(page_html: str) -> tuple[str, list[str]]:
    """On the page with its math and diagram sources: returns the new HTML and the errors."""
    page_html = keep_punctuation_with_math(page_html)
    page_html, errors = chart.render_charts(page_html)
    return add_layouts(page_html), errors


def after_render(page_html: str) -> str:
    return choose_layouts(page_html)
