"""A long page drawn in parts: the article's sections after its first heading are grouped into
chunks the browser may skip (`content-visibility: auto`) until site.js shows them, a few per frame.

Why: the first layout of a long page (the formula pages hold 5,000 nodes) ran 70-300 ms in one
task; with chunks, it lays out the first screen and the chunks' boxes, and each later frame
lays out one more chunk (`overrides/partials/site.js`, "Progressive"). Every chunk is shown in
the end: find-in-page, screen readers and accessibility checkers then see the whole page drawn.

A chunk never holds a heading: Material reads the headings' positions for its table of
contents, which would lay out a skipped chunk the heading sat in. Each chunk carries its
estimated height at a phone's and a desktop's column width (`--r1-h`, `--r1-h-wide`), so the
scroll bar and the headings stand about where they will be before it is drawn.

Pure functions on the parsed article (`html_tree`); `typeset.after_render` applies them.
"""

from __future__ import annotations

import functools
import math
import re

from . import html_tree
from .columns import DESKTOP_COLUMN_PX, PHONE_COLUMN_PX, VIEWBOX_VALUE

CHUNK_CLASS = "r1-chunk"
# Nodes (elements and text runs) per chunk, as written. site.js shows about one chunk per frame;
# measured with Lighthouse on /grpo/ with Material's bundle left out (to see the page's own
# cost), chunks of 60 nodes kept every frame under its 50 ms (simulated) where chunks of 250
# did not. A single block over the budget is a chunk of its own.
CHUNK_NODES = 60
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

# The estimates are made for a phone's and a desktop's column (columns.py).
LINE_PX = 25.6  # 16 px text, line-height 1.6
GAP_PX = 16.0  # the margin between two blocks

_TAG = re.compile(r"<[A-Za-z]")
_TEXT_RUN = re.compile(r">\s*[^<\s]")
_MARKUP = re.compile(r"<[^>]*>")
_WIDE_CHAR = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
_LEGIBLE = re.compile(r"--r1-legible-width:\s*(?P<px>[\d.]+)px")


def chunk_sections(doc: html_tree.Element) -> None:
    """Group the article's blocks after its first <h2> into chunks of at most CHUNK_NODES nodes,
    broken at every heading. A page with no <h2> is left as it is."""
    article = next((el for el in doc.iter("article")), None)
    if article is None or any(isinstance(c, html_tree.Element) and CHUNK_CLASS in c.classes() for c in article.children):
        return
    children = list(article.children)
    first = next((i for i, c in enumerate(children) if _is(c, "h2")), None)
    if first is None:
        return
    out: list[html_tree.Node | str] = children[:first]
    run: list[html_tree.Node | str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        blocks = [n for n in run if isinstance(n, html_tree.Element)]
        if blocks:
            phone, desktop = (round(sum(height(b, column) for b in blocks)) for column in (PHONE_COLUMN_PX, DESKTOP_COLUMN_PX))
            out.append(html_tree.Element("div", {"class": CHUNK_CLASS, "style": f"--r1-h:{phone}px;--r1-h-wide:{desktop}px"}, run[:]))
        else:
            out.extend(run)
        run.clear()
        size = 0

    for child in children[first:]:
        if isinstance(child, html_tree.Element) and child.tag in HEADINGS:
            flush()
            out.append(child)
            continue
        n = nodes(child)
        if size and size + n > CHUNK_NODES:
            flush()
        run.append(child)
        size += n
    flush()
    article.children.clear()
    for node in out:
        article.append(node)


def _is(node: object, tag: str) -> bool:
    return isinstance(node, html_tree.Element) and node.tag == tag


def nodes(node: html_tree.Node | str) -> int:
    """Elements and non-blank text runs, counted in the node's markup (math is kept unparsed)."""
    if isinstance(node, str):
        return 1 if node.strip() else 0
    src = node.source()
    return len(_TAG.findall(src)) + len(_TEXT_RUN.findall(src))


# --- Height estimates ------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)  # a chunk's blocks are measured for two columns in a row
def text_width(src: str) -> float:
    """The width of a piece of markup's text in px at 16 px: CJK characters 1 em, others 0.5 em."""
    text = _MARKUP.sub("", src)
    text = re.sub(r"&[#\w]+;", "x", text)
    text = " ".join(text.split())
    wide = len(_WIDE_CHAR.findall(text))
    return 16.0 * wide + 8.0 * (len(text) - wide)


def lines(src: str, column: float) -> int:
    width = text_width(src)
    return math.ceil(width / column) if width else 0


def height(el: html_tree.Element, column: float) -> float:
    """A block's rough height in px at a column width, with the gap after it."""
    classes = el.classes()
    tag = el.tag
    if tag == "figure":
        return _figure_height(el, column) + GAP_PX
    if tag == "div" and "md-typeset__scrollwrap" in classes:
        return _table_height(el, column) + GAP_PX
    if tag == "div" and "math" in classes:
        return 40.0 + 32.0 * el.source().count("<mtr") + GAP_PX
    if tag in ("ul", "ol", "dl"):
        items = [c for c in el.children if isinstance(c, html_tree.Element)]
        indent = 0 if tag == "dl" else 32.0
        return sum(height(c, column - indent) - GAP_PX / 2 for c in items) + GAP_PX
    if tag in ("div", "details", "blockquote") and any(isinstance(c, html_tree.Element) for c in el.children):
        inner = [c for c in el.children if isinstance(c, html_tree.Element)]
        return sum(height(c, column - 24.0) for c in inner) + 24.0 + GAP_PX
    if tag == "pre" or (tag == "div" and "highlight" in classes):
        return 20.0 * el.source().count("\n") + 32.0 + GAP_PX
    return lines(el.source(), column) * LINE_PX + GAP_PX


def _figure_height(figure: html_tree.Element, column: float) -> float:
    classes = figure.classes()
    if ("r1-wide-only" in classes and column < 600) or ("r1-narrow-only" in classes and column >= 600):
        return -GAP_PX
    src = figure.source()
    drawing = next(figure.iter("svg"), None)
    box = VIEWBOX_VALUE.match(drawing.get("viewbox") or "") if drawing is not None else None
    svg = 0.0
    if box:
        w, h = float(box["w"]), float(box["h"])
        legible = _LEGIBLE.search(src)
        shown = max(min(column, w), float(legible["px"]) if legible else 0.0)
        svg = h * shown / w if w else 0.0
    caption = next((c for c in figure.iter("figcaption")), None)
    return svg + (lines(caption.source(), column) * 22.0 + 8.0 if caption else 0.0)


def _table_height(wrap: html_tree.Element, column: float) -> float:
    rows = [tr for tr in wrap.iter("tr")]
    total = 0.0
    for tr in rows:
        cells = [c for c in tr.children if isinstance(c, html_tree.Element) and c.tag in ("td", "th")]
        if not cells:
            continue
        width = max(column / len(cells) - 24.0, 48.0)
        total += max(lines(c.source(), width) for c in cells) * 22.0 + 16.0
    return total
