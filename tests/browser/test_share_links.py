"""What a reader's browser does with the search-engine tags: no sitemap request, a working switcher."""

import pytest

pytestmark = pytest.mark.browser


def test_absolute_alternates_send_no_sitemap_request_and_keep_the_switcher(page, site):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site + "en/moe/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert [u for u in requests if "sitemap" in u] == []
    page.locator(".md-header__option .md-select").first.hover()
    with page.expect_navigation():
        page.locator('a.md-select__link[hreflang="zh"]').click()
    assert page.url == site + "moe/"
    assert [u for u in requests if "sitemap" in u] == []
