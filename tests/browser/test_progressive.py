"""A long page drawn in parts (hooks/r1docs/progressive.py, site.js "Progressive"), as a reader
gets it: a first layout of the first screen, then the rest a chunk per frame, in place."""

from __future__ import annotations

import json

import pytest
from test_legibility import DESKTOP, PHONE, visit

pytestmark = pytest.mark.browser

LONG_PAGES = ["en/grpo/", "mla/", "cost/", "glossary/"]


def load_traced(browser, site, tmp_path, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    trace = tmp_path / f"{width}.json"
    browser.start_tracing(page=page, path=str(trace), categories=["devtools.timeline", "disabled-by-default-devtools.timeline"])
    visit(page, site, path)
    browser.stop_tracing()
    return context, page, json.loads(trace.read_text())["traceEvents"]


@pytest.mark.parametrize("path", ["en/grpo/", "grpo/", "en/moe/"])
def test_no_layout_lays_out_more_than_a_part_of_a_long_page(browser, site, tmp_path, path):
    """Laid out whole, /en/grpo/'s first layout took 1,900-3,600 of its 5,500 layout objects in
    one task (75-110 ms on this machine); in parts, no layout takes more than a fifth."""
    for width in (PHONE, DESKTOP):
        context, page, events = load_traced(browser, site, tmp_path, path, width)
        layouts = [((e.get("args") or {}).get("beginData") or {}) for e in events if e.get("name") == "Layout"]
        total = max(b.get("totalObjects", 0) for b in layouts)
        largest = max(b.get("dirtyObjects", 0) for b in layouts)
        context.close()
        assert total > 2500, f"{path} @{width}: only {total} layout objects; not a long page"
        assert largest <= total / 5, f"{path} @{width}: one layout took {largest} of {total} objects"


@pytest.mark.parametrize("path", LONG_PAGES)
def test_every_part_is_shown_and_its_estimate_kept_the_page_about_its_height(browser, site, path):
    """Shown at last (find-in-page, screen readers and checkers see the whole page drawn), and
    estimated well enough that the scroll bar and the headings stood about where they are."""
    for width in (PHONE, DESKTOP):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        visit(page, site, path)
        chunks = page.evaluate("""() => [...document.querySelectorAll('.md-typeset .r1-chunk')].map(c => ({
            shown: c.classList.contains('r1-shown'),
            estimate: parseFloat(getComputedStyle(c).getPropertyValue(innerWidth < 720 ? '--r1-h' : '--r1-h-wide')),
            real: c.offsetHeight}))""")
        context.close()
        assert len(chunks) > 10, f"{path}: {len(chunks)} chunks"
        assert all(c["shown"] for c in chunks), f"{path} @{width}: a chunk was never shown"
        ratio = sum(c["estimate"] for c in chunks) / sum(c["real"] for c in chunks)
        assert 0.75 <= ratio <= 1.35, f"{path} @{width}: chunks estimated at {ratio:.2f}× their height"


@pytest.mark.parametrize("path", ["en/grpo/", "glossary/"])
def test_a_screen_reader_gets_the_whole_page(browser, site, path):
    """Chromium leaves the text of a skipped chunk out of the accessibility tree (ignored as
    "not rendered"). Drawing only what the reader comes near would have made the rest of a
    long page unreachable in a screen reader's reading mode, so every chunk is shown after
    load; this reads the last one from that tree."""
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    visit(page, site, path)
    last = page.evaluate("""() => {
      const walker = document.createTreeWalker([...document.querySelectorAll('.md-typeset .r1-chunk')].at(-1), NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.data.trim().split(/\\s+/).join(' ')
        if (text.length >= 12) return text.slice(0, 24)
      }
    }""")
    nodes = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    context.close()
    spoken = " ".join(" ".join(str((n.get("name") or {}).get("value", "")).split()) for n in nodes)
    assert last and last in spoken, f"{path}: the last part's text ({last!r}) is not in the accessibility tree"


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_link_to_a_heading_far_down_lands_on_it_and_stays(browser, site, width):
    """Opened at a heading near the end, the page shows the parts above it while the reader
    is there: the browser keeps the heading in place (scroll anchoring)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    visit(page, site, "en/grpo/")
    target = page.evaluate("() => [...document.querySelectorAll('article h2[id]')].at(-2).id")
    page.goto("about:blank")
    visit(page, site, f"en/grpo/#{target}")
    page.wait_for_timeout(300)
    landed = page.evaluate(f"() => document.getElementById('{target}').getBoundingClientRect().top")
    page.evaluate(f"() => document.getElementById('{target}').scrollIntoView()")  # where it belongs
    belongs = page.evaluate(f"() => document.getElementById('{target}').getBoundingClientRect().top")
    context.close()
    assert 0 < belongs < 450
    assert abs(landed - belongs) <= 2, f"#{target} is at {landed:.0f} px, not {belongs:.0f} px"


@pytest.mark.parametrize("path", ["en/grpo/", "claims/"])
def test_text_does_not_move_when_its_part_is_shown(browser, site, path):
    """A chunk on screen is laid out by the browser before site.js shows it; showing it must
    not move its text (skipped or not, `content-visibility` lays a chunk out on its own, so
    the chunk always is: its blocks' margins had moved them 16 px)."""
    context = browser.new_context(viewport={"width": PHONE, "height": 900})
    page = context.new_page()
    visit(page, site, path)
    shown, unshown = page.evaluate("""() => {
        const blocks = [...document.querySelectorAll('.md-typeset .r1-chunk')]
          .filter(c => c.getBoundingClientRect().top < innerHeight - 100)  // on screen: drawn, hidden or not
          .flatMap(c => [...c.querySelectorAll('*')].slice(0, 6))
        const tops = () => blocks.map(b => Math.round(b.getBoundingClientRect().top))
        const shown = tops()
        document.querySelectorAll('.md-typeset .r1-chunk').forEach(c => c.classList.remove('r1-shown'))
        return [shown, tops()]
    }""")
    context.close()
    assert shown and shown == unshown
