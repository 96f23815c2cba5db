"""Diagrams, formulas, tables and line breaks as a reader sees them, on a phone and a desktop."""

from __future__ import annotations

import json

import pytest

from test_reader import ALL_PAGES

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1400
SCROLL_BOXES = ".md-typeset__scrollwrap, .md-typeset .math, .md-typeset figure.diagram, .md-typeset figure.r1-chart"

# The smallest label of every visible diagram or chart, as drawn on screen.
SMALLEST_LABELS = """() => [...document.querySelectorAll("article figure svg")].filter(s => s.getClientRects().length)
  .map(svg => {
    let smallest = Infinity
    for (const t of svg.querySelectorAll("text, tspan")) {
      if (!t.getClientRects().length || !t.textContent.trim()) continue
      const m = t.closest("text").getScreenCTM()
      smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b))
    }
    return [svg.closest("figure").className, smallest]
  })"""

# Every scroll box wider than its content box, with what it shows and whether it fades at the cut.
CUT_BOXES = """(selector) => [...document.querySelectorAll(selector)].filter(b => b.getClientRects().length)
  .filter(b => b.scrollWidth > b.clientWidth + 1)
  .map(b => ({what: b.className + ": " + b.textContent.trim().slice(0, 40),
              cue: getComputedStyle(b).maskImage || getComputedStyle(b).webkitMaskImage || "none",
              focusable: b.tabIndex >= 0}))"""

# Formulas, tables and diagrams whose box reaches past the article's text column.
PAST_THE_COLUMN = """() => {
  const column = document.querySelector("article.md-typeset").getBoundingClientRect()
  return [...document.querySelectorAll("article math[display=block], article table, article figure svg")]
    .filter(e => e.getClientRects().length)
    .filter(e => { const r = e.getBoundingClientRect(); return r.right > column.right + 1 || r.left < column.left - 1 })
    .map(e => e.tagName + ": " + e.textContent.trim().slice(0, 40))
}"""

# Punctuation that starts a line right after an inline element (a formula, code, a link).
LINE_START_PUNCTUATION = """(marks) => {
  const found = []
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!marks.includes(node.data[0]) || !node.previousSibling) continue
    const before = node.previousSibling.nodeType === 1 ? [...node.previousSibling.getClientRects()].pop() : null
    if (!before) continue
    const range = document.createRange()
    range.setStart(node, 0)
    range.setEnd(node, 1)
    const mark = range.getClientRects()[0]
    if (mark && mark.top >= before.bottom - 2) found.push(node.parentElement.textContent.trim().slice(0, 50))
  }
  return found
}"""


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    yield request.param, page
    context.close()


def visit(page, site, path):
    page.goto(site + path)
    page.evaluate("document.fonts.ready")
    # site.js fits and cues in short steps after frames, again once the fonts are in.
    page.wait_for_function("document.documentElement.dataset.r1Layout === 'done'")


# site.js's own functions: a layout or style pass with one of them on the stack is one it forced.
SITE_JS = {"step", "measure", "fits", "shrink", "cue", "wantsZoom", "addZoom", "show", "inside", "waiting", "fittable", "refit"}


@pytest.mark.parametrize("path", ["landscape/", "en/cost/", "cost/", "en/grpo/"])
def test_fitting_and_cueing_never_force_a_layout(browser, site, tmp_path, path):
    """site.js reads sizes only just after a frame, when the layout is fresh. Measured in the
    middle of Material's set-up, it had forced up to three layouts, over 80 ms on /cost/ on a phone."""
    forced = []
    for width in (PHONE, DESKTOP):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        trace = tmp_path / f"{width}.json"
        browser.start_tracing(page=page, path=str(trace), categories=[
            "devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.stack"])
        visit(page, site, path)
        browser.stop_tracing()
        context.close()
        for event in json.loads(trace.read_text())["traceEvents"]:
            if event.get("name") in ("Layout", "UpdateLayoutTree"):
                stack = ((event.get("args") or {}).get("beginData") or {}).get("stackTrace") or []
                names = [frame.get("functionName") for frame in stack]
                if SITE_JS & set(names):
                    forced.append(f"{width} px: {event['name']} from {' < '.join(n or '?' for n in names[:3])}")
    assert forced == []


def test_every_diagram_label_is_at_least_10px(screen, site):
    width, page = screen
    small = []
    for path in ALL_PAGES:
        visit(page, site, path)
        small += [f"{path or '/'} {cls}: {px:.1f} px" for cls, px in page.evaluate(SMALLEST_LABELS) if px < 9.95]
    assert small == []


def test_on_a_phone_whatever_is_cut_scrolls_with_a_visible_cue(browser, site):
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    silent, wide = [], []
    for path in ALL_PAGES:
        visit(page, site, path)
        cut = page.evaluate(CUT_BOXES, SCROLL_BOXES)
        silent += [f"{path or '/'} {b['what']}" for b in cut if b["cue"] == "none" or not b["focusable"]]
        if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
            wide.append(path or "/")
    context.close()
    assert silent == []
    assert wide == []


def test_the_cue_follows_the_scroll(browser, site):
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    visit(page, site, "en/grpo/")
    box = page.locator(".md-typeset .math.r1-more-end").first.element_handle()  # fixed: its classes change
    assert "r1-more-start" not in box.get_attribute("class")
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; b.dispatchEvent(new Event('scroll')) }")
    classes = box.get_attribute("class")
    assert "r1-more-start" in classes and "r1-more-end" not in classes
    context.close()


def test_on_a_desktop_nothing_overflows(browser, site):
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    problems = []
    for path in ALL_PAGES:
        visit(page, site, path)
        problems += [f"{path or '/'} scrolls: {b['what']}" for b in page.evaluate(CUT_BOXES, SCROLL_BOXES)]
        problems += [f"{path or '/'} past the column: {x}" for x in page.evaluate(PAST_THE_COLUMN)]
    context.close()
    assert problems == []


def test_no_line_starts_with_closing_punctuation(screen, site):
    width, page = screen
    found = []
    for path in ALL_PAGES:
        visit(page, site, path)
        marks = "。，、；：？！）" if not path.startswith("en/") else ".,;:?!)"
        found += [f"{path or '/'} @{width}: {x}" for x in page.evaluate(LINE_START_PUNCTUATION, marks)]
    assert found == []


# An emphasis added to the article, so the test does not depend on a page using one (the zh
# pages write bold rather than emphasis).
EMPHASIS_STYLE = """() => { const em = document.createElement("em"); em.textContent = "强调"
  document.querySelector("article").append(em); const s = getComputedStyle(em)
  return [s.fontStyle, s.textEmphasisStyle] }"""


def test_chinese_emphasis_is_not_slanted(page, site):
    page.goto(site + "emergence/")
    style = page.evaluate(EMPHASIS_STYLE)
    assert style[0] == "normal" and style[1] != "none"
    page.goto(site + "en/emergence/")
    assert page.evaluate(EMPHASIS_STYLE)[0] == "italic"


# The lightness (0-255) of a computed colour, whatever syntax the browser reports it in.
LIGHTNESS = """(colour) => { const c = document.createElement("canvas").getContext("2d")
  c.fillStyle = "#fff"; c.fillRect(0, 0, 1, 1); c.fillStyle = colour; c.fillRect(0, 0, 1, 1)
  const [r, g, b] = c.getImageData(0, 0, 1, 1).data; return (r + g + b) / 3 }"""


def test_diagrams_and_charts_follow_dark_mode(browser, site):
    lightness = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": DESKTOP, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        for path, selector in [("en/grpo/", "figure.diagram svg text"), ("benchmarks/", "figure.r1-chart svg text")]:
            page.goto(site + path)
            page.evaluate("document.fonts.ready")
            fill = page.locator(f"article {selector}").first.evaluate("t => getComputedStyle(t).fill")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            lightness[scheme, path] = (page.evaluate(LIGHTNESS, fill), page.evaluate(LIGHTNESS, background))
        context.close()
    for path in ("en/grpo/", "benchmarks/"):
        (light_text, light_bg), (dark_text, dark_bg) = lightness["light", path], lightness["dark", path]
        assert light_text < light_bg - 80 and dark_text > dark_bg + 80, lightness  # dark on light, light on dark


def test_a_diagram_opens_full_screen_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": PHONE, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    visit(page, site, "grpo/")
    page.locator("article figure.diagram .r1-zoom").first.tap()
    dialog = page.locator("dialog.r1-zoom-dialog[open]")
    assert dialog.count() == 1
    assert dialog.locator("svg").bounding_box()["width"] > PHONE
    dialog.locator(".r1-zoom-close").tap()
    assert page.locator("dialog.r1-zoom-dialog[open]").count() == 0
    context.close()


def test_charts_have_legend_values_and_an_axis_from_zero(page, site):
    for path, legend in [("benchmarks/", ["R1", "o1-1217"]), ("en/benchmarks/", ["R1", "o1-1217"])]:
        page.goto(site + path)
        texts = page.locator("article figure.r1-chart svg").first.locator("text").all_text_contents()
        assert all(name in texts for name in legend)
        assert "0" in texts and "100" in texts  # the axis runs from zero
        assert "79.8" in texts and "79.2" in texts  # values on the bars


# Material's style of a table without a class, next to the build's r1-table, property by property.
TABLE_STYLES = """() => {
  const props = ["display", "font-size", "border-top-width", "border-top-style", "border-radius", "max-width", "overflow-x",
                 "background-color", "padding-top", "padding-left", "vertical-align", "text-align", "font-weight", "min-width",
                 "border-top-color"]
  const built = document.querySelector("article table.r1-table")
  const probe = document.createElement("div")
  probe.innerHTML = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>' + built.innerHTML + '</table></div></div>'
  built.closest(".md-typeset__scrollwrap").after(probe)
  const plain = probe.querySelector("table")
  const style = (el) => props.map(p => p + ": " + getComputedStyle(el).getPropertyValue(p))
  const pairs = [[built, plain], [built.querySelector("th"), plain.querySelector("th")], [built.querySelector("td"), plain.querySelector("td")]]
  const diff = pairs.flatMap(([a, b]) => style(a).filter((v, i) => v !== style(b)[i]).map(v => a.tagName + " " + v + " vs " + style(b)[style(a).indexOf(v)]))
  probe.remove()
  return diff
}"""


@pytest.mark.parametrize("path", ["en/grpo/", "moe/"])
def test_tables_are_wrapped_at_build_time_and_look_as_materials(screen, site, path):
    """The build wraps each table, so Material's bundle does not take them out of the page and
    put them back after loading (every cell restyled and laid out again); they look the same."""
    _, page = screen
    page.add_init_script("""window.__moved = 0
      new MutationObserver(ms => { for (const m of ms) for (const n of m.removedNodes) if (n.nodeName === "TABLE") window.__moved++ })
        .observe(document, {childList: true, subtree: true})""")
    visit(page, site, path)
    assert page.evaluate("document.querySelectorAll('article table').length") > 0
    assert page.evaluate("window.__moved") == 0
    assert page.evaluate("[...document.querySelectorAll('article table')].every(t => t.parentElement.matches('.md-typeset__scrollwrap > .md-typeset__table'))")
    assert page.evaluate("document.querySelectorAll('.md-typeset__table .md-typeset__table').length") == 0
    assert page.evaluate(TABLE_STYLES) == []
    # Row labels under an empty corner are header cells for screen readers, drawn as data cells.
    assert page.evaluate(ROW_HEADERS_LOOK_AS_CELLS) == []


ROW_HEADERS_LOOK_AS_CELLS = """() => {
  const rows = [...document.querySelectorAll("article tbody th[scope=row]")]
  if (!rows.length) return ["no row headers"]
  const props = ["font-weight", "border-top-width", "padding-left", "vertical-align"]
  return rows.flatMap(th => props.filter(p => getComputedStyle(th)[p] !== getComputedStyle(th.nextElementSibling)[p])
    .map(p => th.textContent.trim().slice(0, 30) + ": " + p))
}"""
