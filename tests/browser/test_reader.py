"""What a reader sees, in Chromium, on the site served under a sub-path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support import MATERIAL_STARTED, ROOT, start_material

pytestmark = pytest.mark.browser

PAGES = ["", "benchmarks/", "landscape/", "moe/", "mla/", "grpo/", "r1-training/", "emergence/",
         "distillation/", "cost/", "claims/", "references/", "glossary/"]
ALL_PAGES = [*PAGES, *(f"en/{p}" for p in PAGES)]


def switch_language(page, lang: str) -> None:
    """Open the language menu in the header and pick `lang`, as a reader does."""
    page.locator(".md-header__option .md-select").first.hover()
    with page.expect_navigation():
        page.locator(f'a.md-select__link[hreflang="{lang}"]').click()


@pytest.mark.parametrize("path", ["", "moe/", "grpo/", "cost/", "glossary/"])
def test_switcher_leads_to_the_same_page_both_ways(page, site, path):
    page.goto(site + path)
    switch_language(page, "en")
    assert page.url == site + "en/" + path
    assert page.locator("html").get_attribute("lang") == "en"
    switch_language(page, "zh")
    assert page.url == site + path
    assert page.locator("html").get_attribute("lang") == "zh"


def search(page, query: str) -> list[str]:
    """Type a query as a reader does. Material reads the query on `keyup`, so after filling
    the box a key is released; results may take a moment while the worker builds its index."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    return [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()]


@pytest.mark.parametrize(
    ("start", "query", "expected", "language"),
    [("", "专家", "moe/", "zh"), ("en/", "experts", "en/moe/", "en"), ("en/", "routing", "en/moe/", "en")],
    ids=["zh-segmented", "en-plural", "en-gerund"],
)
def test_search_finds_pages_of_the_reader_language_only(page, site, start, query, expected, language):
    page.goto(site + start, wait_until="networkidle")
    hrefs = [urlsplit(h).path for h in search(page, query)]
    root = urlsplit(site).path
    assert any(h.startswith(root + expected) for h in hrefs), hrefs
    assert all(h.startswith(root + "en/") == (language == "en") for h in hrefs), hrefs


def test_404_in_each_language(page, site):
    response = page.goto(site + "no-such-page/")
    assert response.status == 404 and "页面不存在" in page.inner_text("article")
    page.goto(site + "en/404.html")
    assert "page not found" in page.inner_text("article")
    page.click("article a")  # the 404's home link works under the sub-path
    assert page.url == site + "en/"


def test_dark_mode_toggles(page, site):
    page.goto(site)
    before = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("form[data-r1-palette] label:visible").first.click()
    after = page.locator("body").get_attribute("data-md-color-scheme")
    assert {before, after} == {"default", "slate"}


@pytest.mark.parametrize("system, first, other", [("light", "default", "slate"), ("dark", "slate", "default")])
def test_palette_follows_the_system_until_the_reader_chooses(browser, site, system, first, other):
    """The site's palette script (overrides/partials/palette.js) in place of Material's component."""
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    page.goto(site + "en/grpo/")
    assert scheme() == first and page.locator("form[data-r1-palette] label:visible").count() == 1
    page.locator("form[data-r1-palette] label:visible").click()
    assert scheme() == other and page.locator("form[data-r1-palette] label:visible").count() == 1
    page.goto(site + "moe/")  # the choice holds on every page, in both languages
    assert scheme() == other
    page.locator("form[data-r1-palette] input:checked").focus()
    page.keyboard.press("Enter")  # as in Material: Enter moves to the next option
    assert scheme() == first
    page.wait_for_function("document.querySelector('meta[name=theme-color]').content.startsWith('#')")
    context.close()


@pytest.mark.parametrize("path", ["grpo/", "en/grpo/", "moe/", "en/mla/"])
def test_math_and_diagrams_are_rendered_markup(page, site, path):
    page.goto(site + path)
    assert page.locator(".katex math").count() > 0
    assert page.locator("figure.diagram svg").count() > 0
    assert page.locator(".arithmatex, pre.mermaid-source").count() == 0
    # The math font is loaded from the site, and the formula has a real width.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Noto Sans Math') && f.status === 'loaded')")
    assert page.locator(".katex math").first.bounding_box()["width"] > 5


def test_math_font_is_fetched_with_the_page_not_after_the_first_layout(browser, site):
    """Preloaded: a font arriving after the formulas were laid out makes the browser restyle
    and lay out every formula again. Pages without math do not fetch it."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site + "en/grpo/", wait_until="load")
    fonts = [u for u in requests if u.endswith("/noto-sans-math.woff2")]
    assert len(fonts) == 1, requests
    # Requested by the <link rel=preload> in the head ("link"), not by the first layout ("css").
    initiator = page.evaluate("performance.getEntriesByType('resource')"
                              ".find(e => e.name.endsWith('/noto-sans-math.woff2')).initiatorType")
    assert initiator == "link", initiator
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Noto Sans Math') && f.status === 'loaded')")
    requests.clear()
    page.goto(site + "en/landscape/", wait_until="load")
    assert not [u for u in requests if u.endswith(".woff2")], requests
    context.close()


def test_tooltip_links_first_use_of_a_term(page, site):
    page.goto(site + "moe/")
    link = page.locator("article a.glossary-term").first
    assert "glossary/#" in link.get_attribute("href")
    assert link.get_attribute("title")


def test_every_page_loads_without_third_party_request_or_console_error(browser, site):
    host = urlsplit(site).netloc
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    for path in ALL_PAGES:
        page.goto(site + path, wait_until="networkidle")
        start_material(page)  # its requests and errors too
        page.wait_for_load_state("networkidle")
    context.close()
    outside = sorted({u for u in requests if urlsplit(u).netloc != host and not u.startswith("data:")})
    assert outside == []
    assert errors == []


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def test_no_serious_accessibility_violation(browser, site):
    context = browser.new_context()
    page = context.new_page()
    problems = []
    for path in ALL_PAGES:
        page.goto(site + path)
        start_material(page)  # what its components add is checked too
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{path or '/'}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}")
    context.close()
    assert problems == []


BUNDLE = "/javascripts/bundle."
SEARCH_FOCUSED = "document.activeElement && document.activeElement.matches('.md-search__input')"


def test_material_bundle_comes_with_the_first_interaction(browser, site):
    """Not requested with the page (its evaluation and set-up were the longest tasks after the
    first layout); the page is usable without it. Requested once, at the first pointer move, and
    then its components work: here the table of contents follows the reader."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site + "en/grpo/", wait_until="networkidle")
    page.wait_for_function("document.documentElement.dataset.r1Layout === 'done'")
    assert not [u for u in requests if BUNDLE in u]
    assert not page.evaluate(MATERIAL_STARTED)
    # Until then the contents' scroll box is held to the window below the header, as the bundle
    # would hold it, and scrolls to its last entry (without the rule it runs past the window).
    box = page.evaluate("""(() => { const b = document.querySelector('.md-sidebar--secondary .md-sidebar__scrollwrap')
                           return [b.clientHeight, b.scrollHeight] })()""")
    assert box[0] <= 900 - 2 * 48 < box[1], box
    start_material(page)
    page.mouse.wheel(0, 6000)
    page.wait_for_function("document.querySelector('.md-sidebar--secondary .md-nav__link--active')"
                           " !== document.querySelector('.md-sidebar--secondary .md-nav__link')")
    page.mouse.wheel(0, -3000)
    page.keyboard.press("Tab")
    page.wait_for_load_state("networkidle")
    assert len([u for u in requests if BUNDLE in u]) == 1, requests
    context.close()


@pytest.mark.parametrize("path", ["", "en/grpo/"])
def test_a_shortcut_pressed_on_arrival_is_not_lost(browser, site, path):
    """The first key loads the bundle and is handed to it once it has started: "/" opens search."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(site + path, wait_until="networkidle")
    page.keyboard.press("/")
    page.wait_for_function(SEARCH_FOCUSED, timeout=10000)
    context.close()


@pytest.mark.parametrize(("path", "query"), [("", "专家"), ("en/", "experts")])
def test_search_tapped_first_on_a_phone(browser, site, path, query):
    """On a phone, search is the header's icon. Tapped before anything else, it brings the bundle,
    the box takes the focus (the phone's keyboard comes up) and the results come."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site + path, wait_until="networkidle")
    page.locator('label.md-header__button[for="__search"]').tap()
    page.wait_for_function(MATERIAL_STARTED, timeout=10000)
    page.wait_for_function(SEARCH_FOCUSED, timeout=10000)
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    context.close()


def test_a_failed_bundle_request_is_tried_again(browser, site):
    """Offline for a moment, or a request that fails: the page stays as it is, and the next
    interaction fetches the bundle again."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    failed: list[str] = []

    def once(route):
        if not failed:
            failed.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/javascripts/bundle.*.min.js", once)
    page.goto(site + "en/moe/", wait_until="networkidle")
    page.mouse.move(100, 100)
    page.wait_for_timeout(500)
    assert len(failed) == 1 and not page.evaluate(MATERIAL_STARTED)
    start_material(page)
    context.close()
