"""Search engines and link previews: hreflang alternates, canonical URLs, share cards, sitemap and
robots.txt, on the site built for a GitHub-project-like sub-path (/r1-notes/, tests/conftest.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import ROOT  # noqa: F401  (puts hooks/ on sys.path)

from r1docs import seo

HAN = re.compile(r"[\u4e00-\u9fff]")


# --- The pure core ---------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "lang", "expected"), [
    ("moe/", "zh", "moe/"), ("en/moe/", "en", "moe/"), ("en/", "en", ""), ("", "zh", ""), ("./", "zh", ""),
    ("/en/moe/", "en", "moe/"), ("engine/", "en", "engine/"),
], ids=["zh-page", "en-page", "en-home", "zh-home", "zh-home-dot", "leading-slash", "prefix-not-a-folder"])
def test_neutral_path(url, lang, expected):
    assert seo.neutral_path(url, lang, "zh") == expected


@pytest.mark.parametrize("site_url", ["https://user.github.io/r1-notes/", "https://user.github.io/r1-notes"])
def test_page_urls_are_absolute_under_a_sub_path(site_url):
    assert seo.page_urls(site_url, "moe/", ["zh", "en"], "zh") == {
        "zh": "https://user.github.io/r1-notes/moe/",
        "en": "https://user.github.io/r1-notes/en/moe/",
        "x-default": "https://user.github.io/r1-notes/moe/",
    }


def test_description_drops_citations_and_math():
    html = ('<h1 id="moe">MoE</h1><div class="admonition"><p>A note first.</p></div>'
            '<p>R1 has 671B parameters (<a href="../references/#r1">R1 Table 4</a>, '
            '<a href="../references/#v3">V3 §4.2</a>), and <span class="arithmatex">\\(k=8\\)</span> experts '
            'are <a href="../glossary/#expert" title="x">routed</a>.</p><p>Second.</p>')
    assert seo.description(html, "fallback") == "R1 has 671B parameters, and experts are routed."


def test_description_cuts_at_a_sentence_or_a_word():
    zh = "<p>" + "混合专家模型把前馈层换成许多专家。" * 8 + "</p>"
    assert seo.description(zh, "") == "混合专家模型把前馈层换成许多专家。" * 4
    en = "<p>" + "word " * 60 + "</p>"
    cut = seo.description(en, "")
    assert cut.endswith("word…") and len(cut) <= seo.DESCRIPTION_WIDTH
    assert seo.description("<h1>Title only</h1>", "the site's description") == "the site's description"


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
    <url>
        <loc>https://h/p/en/moe/</loc>
        <xhtml:link rel="alternate" hreflang="en" href="https://h/p/en/moe/"/>
        <xhtml:link rel="alternate" hreflang="zh" href="https://h/p/moe/"/>
    </url>
</urlset>
"""


def test_sitemap_gets_one_x_default_per_url():
    once = seo.add_x_default(SITEMAP, "zh")
    assert seo.add_x_default(once, "zh") == once
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="https://h/p/moe/" />' in once
    assert once.count("x-default") == 1 and "ns0:" not in once


def test_robots_txt_names_the_sitemap():
    assert seo.robots_txt("https://h/p").splitlines()[-1] == "Sitemap: https://h/p/sitemap.xml"


# --- The built site --------------------------------------------------------------------------
class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict] = []
        self.meta: list[dict] = []
        self.lang = ""
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "meta":
            self.meta.append(a)
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False

    def prop(self, name: str) -> list[str]:
        return [m.get("content", "") for m in self.meta if m.get("property") == name]


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8").split("</head>", 1)[0])
    return parser


def content_pages(site: Path) -> dict[str, Path]:
    """URL path (relative to the site root) -> file, for every page of both languages."""
    return {p.parent.relative_to(site).as_posix().removeprefix(".") + "/" if p.parent != site else "": p
            for p in sorted(site.rglob("index.html")) if "assets" not in p.parts}


@pytest.fixture(scope="module")
def pages(built_site):
    assert built_site.result.returncode == 0
    found = content_pages(built_site.project / "site")
    assert len(found) >= 20 and "" in found and "en/" in found
    return found


@pytest.mark.build
def test_every_page_has_absolute_hreflang_alternates_and_a_canonical(built_site, pages):
    base = built_site.base_url
    for path, file in pages.items():
        lang = "en" if path.startswith("en/") or path == "en/" else "zh"
        neutral = path.removeprefix("en/")
        h = head(file)
        alternates = {link["hreflang"]: link["href"] for link in h.links if link.get("rel") == "alternate"}
        assert alternates == {"zh": base + neutral, "en": base + "en/" + neutral, "x-default": base + neutral}, path
        assert [link["href"] for link in h.links if link.get("rel") == "canonical"] == [base + path], path
        for url in alternates.values():  # every alternate is a page of the site
            assert url.removeprefix(base) in pages, (path, url)


@pytest.mark.build
def test_every_page_has_a_share_card_in_its_language(built_site, pages):
    for path, file in pages.items():
        lang = "en" if path.startswith("en/") else "zh"
        h = head(file)
        assert h.lang == lang
        assert h.prop("og:locale") == [{"zh": "zh_CN", "en": "en_US"}[lang]], path
        assert h.prop("og:locale:alternate") == [{"zh": "en_US", "en": "zh_CN"}[lang]], path
        assert h.prop("og:url") == [built_site.base_url + path]
        (title,), (description,) = h.prop("og:title"), h.prop("og:description")
        assert title and title in h.title, path
        assert description and description == next(m["content"] for m in h.meta if m.get("name") == "description")
        assert bool(HAN.search(description)) == (lang == "zh"), (path, description)
        assert "references" not in description and "\\(" not in description


@pytest.mark.build
def test_sitemap_lists_both_languages_with_their_alternates(built_site, pages):
    base = built_site.base_url
    site = built_site.project / "site"
    ns = {"s": seo.SITEMAP_NS, "x": seo.XHTML_NS}
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = {u.findtext("s:loc", namespaces=ns): {x.get("hreflang"): x.get("href") for x in u.findall("x:link", ns)}
               for u in root.findall("s:url", ns)}
    assert sorted(entries) == sorted(base + path for path in pages)
    for loc, links in entries.items():
        neutral = loc.removeprefix(base).removeprefix("en/")
        assert links == {"zh": base + neutral, "en": base + "en/" + neutral, "x-default": base + neutral}, loc
    import gzip

    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


@pytest.mark.build
def test_robots_txt_points_to_the_sitemap(built_site):
    robots = (built_site.project / "site" / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {built_site.base_url}sitemap.xml" in robots.splitlines()
