"""What search engines and link previews read: absolute hreflang alternates, share-card tags,
the sitemap's x-default and robots.txt. Pure functions of URLs and HTML; no MkDocs import.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

# Open Graph wants a territory with the language (`og:locale`, `og:locale:alternate`).
OG_LOCALES = {"zh": "zh_CN", "en": "en_US"}
X_DEFAULT = "x-default"
DESCRIPTION_WIDTH = 160  # what a result snippet or a chat card shows; a CJK character counts 2

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


# --- URLs ----------------------------------------------------------------------------------
def language_root(site_url: str, lang: str, default: str) -> str:
    """Absolute root of one language: the default at the site root, others at `<lang>/`."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base if lang == default else urljoin(base, f"{lang}/")


def neutral_path(url: str, lang: str, default: str) -> str:
    """A page's URL inside its language tree ('en/moe/' -> 'moe/', '' for a home page)."""
    url = url.lstrip("/")
    if lang != default and (url == lang or url.startswith(f"{lang}/")):
        url = url[len(lang) :].lstrip("/")
    return "" if url in ("", ".", "./") else url


def page_urls(site_url: str, path: str, languages: list[str], default: str) -> dict[str, str]:
    """The absolute URL of the page at `path` in every language, then `x-default` (the default's)."""
    urls = {lang: urljoin(language_root(site_url, lang, default), path) for lang in languages}
    urls[X_DEFAULT] = urls[default]
    return urls


# --- Share cards ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """The Open Graph tags of one page, in that page's language."""

    title: str
    description: str
    url: str
    site_name: str
    locale: str
    alternate_locales: tuple[str, ...]
    type: str = "article"


def card(*, title: str, description: str, url: str, site_name: str, lang: str, languages: list[str],
         is_homepage: bool) -> Card:
    return Card(
        title=title or site_name,
        description=description,
        url=url,
        site_name=site_name,
        locale=og_locale(lang),
        alternate_locales=tuple(og_locale(x) for x in languages if x != lang),
        type="website" if is_homepage else "article",
    )


def og_locale(lang: str) -> str:
    return OG_LOCALES.get(lang, lang.replace("-", "_"))


class _FirstParagraph(HTMLParser):
    """The text of the first top-level paragraph without citations (links to references)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside a block that is not the page's running text
        self.in_p = False
        self.skip = 0  # inside a citation link, math, a footnote mark
        self.parts: list[str] = []
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if self.in_p:
            href = attributes.get("href") or ""
            if self.skip or (tag == "a" and "references/" in href) or "arithmatex" in classes or tag == "sup":
                self.skip += 1
        elif tag in ("div", "details", "table", "blockquote", "ul", "ol", "pre", "figure", "aside"):
            self.depth += 1
        elif tag == "p" and self.depth == 0:
            self.in_p = True

    def handle_endtag(self, tag):
        if self.done:
            return
        if self.in_p:
            if tag == "p":
                self.in_p = False
                self.done = bool("".join(self.parts).strip())
            elif self.skip:
                self.skip -= 1
        elif tag in ("div", "details", "table", "blockquote", "ul", "ol", "pre", "figure", "aside"):
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.in_p and not self.skip and not self.done:
            self.parts.append(data)


EMPTY_BRACKETS = re.compile(r"\s*[（(][\s,，、;；]*[）)]")
SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?。，；：！？])")


def description(html: str, fallback: str, width: int = DESCRIPTION_WIDTH) -> str:
    """The page's first paragraph as plain text, cut to `width` at a sentence or word end."""
    parser = _FirstParagraph()
    for start in range(0, len(html), 4096):  # the first paragraph is near the top: stop there
        parser.feed(html[start : start + 4096])
        if parser.done:
            break
    text = " ".join("".join(parser.parts).split())
    text = SPACE_BEFORE_STOP.sub(r"\1", EMPTY_BRACKETS.sub("", text)).strip()
    return truncate(text, width) if text else fallback


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def truncate(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    cut, used = 0, 0
    for i, c in enumerate(text):
        used += _width(c)
        if used > width - 1:
            break
        cut = i + 1
    head = text[:cut]
    sentence = max(head.rfind(stop) for stop in ("。", "！", "？", ". ", "! ", "? "))
    if sentence >= len(head) // 2:
        return head[: sentence + 1].rstrip()
    space = head.rfind(" ")
    if space >= len(head) // 2 and not any(_width(c) == 2 for c in head[space:]):
        head = head[:space]
    return head.rstrip(" ,，、;；:：") + "…"


# --- Sitemap and robots.txt ----------------------------------------------------------------
def add_x_default(sitemap: str, default: str) -> str:
    """Give every `<url>` of static-i18n's sitemap an `x-default` alternate: its default-language
    page (the sitemap already lists both languages, each with its alternates)."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.fromstring(sitemap)
    link = f"{{{XHTML_NS}}}link"
    for url in root.iter(f"{{{SITEMAP_NS}}}url"):
        links = url.findall(link)
        if any(x.get("hreflang") == X_DEFAULT for x in links):
            continue
        target = next((x.get("href") for x in links if x.get("hreflang") == default), None)
        if target:
            ET.SubElement(url, link, {"rel": "alternate", "hreflang": X_DEFAULT, "href": target})
    ET.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def robots_txt(site_url: str) -> str:
    """Allow everything and name the sitemap. Crawlers read robots.txt at a host's root only: on
    a GitHub project page (`user.github.io/project/`) it takes effect with a custom domain."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"User-agent: *\nAllow: /\n\nSitemap: {urljoin(base, 'sitemap.xml')}\n"
