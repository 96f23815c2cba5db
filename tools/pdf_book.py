"""`make pdf`: one PDF book per language from the built site, printed by Debian's Chromium.

For each language the pages of the nav are taken from `site/` (already rendered: KaTeX math,
SVG diagrams), their ids and links made unique inside one print document, and Chromium prints
it with an outline (bookmarks), tagged text, a cover, a contents list and page numbers.
The books land at `site/pdf/deepseek-r1-<lang>.pdf`, the path every page links to.
"""

from __future__ import annotations

import argparse
import html
import os
import posixpath
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from r1docs.checks import i18n_languages, nav_entries, read_config  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.S)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]+)"')
ATTR_URL = re.compile(r'(?P<attr>href|src)="(?P<url>[^"]*)"')
ATTR_ID = re.compile(r'\bid="(?P<id>[^"]+)"')
H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
HEADINGS = re.compile(r'<h2 id="(?P<id>[^"]+)"[^>]*>(?P<title>.*?)</h2>', re.S)
# Site chrome inside the article that means nothing on paper.
CHROME = re.compile(r'<a[^>]*class="(?:headerlink|md-content__button[^"]*)"[^>]*>.*?</a>', re.S)

TEXT = {
    "zh": {"book": "DeepSeek-R1 技术解读", "language": "简体中文版", "contents": "目录", "built": "构建于",
           "commit": "提交", "page": "第 <span class=pageNumber></span> 页，共 <span class=totalPages></span> 页"},
    "en": {"book": "DeepSeek-R1 Explained", "language": "English edition", "contents": "Contents", "built": "Built on",
           "commit": "commit", "page": "Page <span class=pageNumber></span> of <span class=totalPages></span>"},
}

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html { font-size: 125%; }
body { background: white; }
.md-typeset { font-size: 0.62rem; line-height: 1.6; }
:lang(zh) body, :lang(zh) .md-typeset { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
section.chapter { break-before: page; }
.md-typeset h1 { margin-top: 0; }
.md-typeset pre > code, .md-typeset code { white-space: pre-wrap; word-break: break-word; }
.md-typeset__scrollwrap, .md-typeset__table { overflow: visible !important; display: block; }
.md-typeset table:not([class]) { display: table; width: 100%; font-size: 0.56rem; }
.md-typeset table:not([class]) td, .md-typeset table:not([class]) th { padding: 0.35em 0.6em; word-break: break-word; }
.md-typeset tr, .md-typeset figure, .md-typeset .admonition, .katex-display { break-inside: avoid; }
.md-typeset h2, .md-typeset h3 { break-after: avoid; }
.katex-display { overflow: visible !important; }
figure.diagram svg { max-width: 100%; height: auto; }
.md-typeset a { color: #303fa1; }
.book-cover { height: 230mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.book-cover .title { font-size: 2rem; font-weight: 700; margin-bottom: 0.6em; }
.book-cover .edition { font-size: 1rem; margin-bottom: 2.5em; }
.book-cover .meta { font-size: 0.7rem; color: #555; }
.book-toc { break-before: page; }
.book-toc .toc-title { font-size: 1.2rem; font-weight: 700; margin-bottom: 0.8em; }
.book-toc ol { font-size: 0.7rem; line-height: 1.9; }
.book-toc ol ol { font-size: 0.62rem; line-height: 1.6; }
"""


class PdfError(Exception):
    """A missing browser, font or built site: the message names what to do."""


@dataclass(frozen=True)
class Chapter:
    title: str
    path: str  # the page's directory URL inside the language root: '' or 'moe/'
    slug: str


def nav_chapters(config_file: Path) -> dict[str, list[Chapter]]:
    """The chapters of each language's book: its nav pages, in order, with their nav titles."""
    books = {}
    for language in i18n_languages(read_config(config_file)):
        chapters = []
        for title, page in nav_entries(language["nav"]):
            path = "" if page == "index.md" else page[: -len(".md")] + "/"
            chapters.append(Chapter(title or page, path, "p-" + (path.strip("/") or "home")))
        books[language["locale"]] = chapters
    return books


def assemble(site_dir: Path, lang: str, default: str, chapters: list[Chapter], stamp: str) -> str:
    """The print document of one language, written to live at the site root."""
    prefix = "" if lang == default else f"{lang}/"
    by_path = {c.path: c for c in chapters}
    text = TEXT.get(lang, TEXT["en"])
    home = (site_dir / prefix / "index.html").read_text(encoding="utf-8")
    styles = [posixpath.normpath(posixpath.join(prefix, m["href"])) for m in STYLESHEET.finditer(home)]
    styles.append("assets/katex/katex.min.css")

    def rewrite(body: str, chapter: Chapter) -> str:
        page_dir = prefix + chapter.path

        def url(m: re.Match) -> str:
            value = html.unescape(m["url"])
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("mailto:", "data:")):
                return m[0]
            if value.startswith("#"):
                return f'{m["attr"]}="#{chapter.slug}--{value[1:]}"'
            target = posixpath.normpath(posixpath.join(page_dir, parts.path))
            target = "" if target == "." else target.rstrip("/") + "/"
            inside = target[len(prefix):] if target.startswith(prefix) else None
            if m["attr"] == "href" and inside in by_path:
                slug = by_path[inside].slug
                return f'href="#{slug}--{parts.fragment}"' if parts.fragment else f'href="#{slug}"'
            return f'{m["attr"]}="{html.escape(target.rstrip("/"))}"'

        body = CHROME.sub("", body)
        body = ATTR_ID.sub(lambda m: f'id="{chapter.slug}--{m["id"]}"', body)
        body = ATTR_URL.sub(url, body)
        return H1.sub(f'<h1 id="{chapter.slug}">{html.escape(chapter.title)}</h1>', body, count=1)

    sections, toc = [], []
    for chapter in chapters:
        source = site_dir / prefix / chapter.path / "index.html"
        match = ARTICLE.search(source.read_text(encoding="utf-8"))
        if match is None:
            raise PdfError(f"No article found in '{source}': is the site built with the Material theme?")
        body = rewrite(match["body"], chapter)
        sections.append(f'<section class="chapter">{body}</section>')
        subs = "".join(f'<li><a href="#{m["id"]}">{re.sub(r"<[^>]+>", "", m["title"]).strip()}</a></li>'
                       for m in HEADINGS.finditer(body))
        toc.append(f'<li><a href="#{chapter.slug}">{html.escape(chapter.title)}</a>' + (f"<ol>{subs}</ol>" if subs else "") + "</li>")

    links = "\n".join(f'<link rel="stylesheet" href="{s}">' for s in styles)
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{text['book']}</title>
{links}
<style>{PRINT_CSS}</style></head>
<body><div class="md-typeset">
<div class="book-cover"><div class="title">{text['book']}</div><div class="edition">{text['language']}</div>
<div class="meta">{stamp}</div></div>
<nav class="book-toc"><div class="toc-title">{text['contents']}</div><ol>{''.join(toc)}</ol></nav>
{''.join(sections)}
</div></body></html>"""


def repair_outline(path: Path) -> int:
    """Chromium (156) names a bookmark twice ('成本成本') when its heading starts a page.
    Rewrite those titles in place; returns how many were repaired."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=str(path))
    repaired = 0
    stack = [writer._root_object.get("/Outlines")]
    while stack:
        node = stack.pop()
        node = node.get_object() if node is not None else None
        if node is None:
            continue
        title = node.get("/Title")
        if title is not None:
            half = len(title) // 2
            if len(title) % 2 == 0 and title[:half] == title[half:]:
                node[NameObject("/Title")] = TextStringObject(title[:half])
                repaired += 1
        stack.extend(x for x in (node.get("/First"), node.get("/Next")) if x is not None)
    if repaired:
        with open(path, "wb") as out:
            writer.write(out)
    return repaired


def build_stamp(lang: str) -> str:
    """Date and commit of the build, from git (reproducible: the commit date, not the clock)."""
    text = TEXT.get(lang, TEXT["en"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs %h"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        date, commit = out[0], out[1]
    except (OSError, subprocess.CalledProcessError, IndexError):
        date, commit = time.strftime("%Y-%m-%d"), "unknown"
    return f"{text['built']} {date} · {text['commit']} {commit}"


def check_prerequisites(site_dir: Path) -> None:
    if not (site_dir / "index.html").exists():
        raise PdfError(f"No built site in '{site_dir}': run 'make build' first.")
    if not Path(CHROMIUM).exists():
        raise PdfError(f"Chromium not found at '{CHROMIUM}': install it (Debian: apt-get install chromium) or set CHROMIUM.")
    try:
        fonts = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
    except OSError:
        fonts = ""
    if "CJK SC" not in fonts and "SC" not in fonts:
        raise PdfError("No Simplified Chinese font found: install one (Debian: apt-get install fonts-noto-cjk).")


def render(site_dir: Path, config_file: Path) -> list[Path]:
    check_prerequisites(site_dir)
    from playwright.sync_api import sync_playwright

    books = nav_chapters(config_file)
    default = next(iter(books))
    out_dir = site_dir / "pdf"
    out_dir.mkdir(exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lang, chapters in books.items():
            document = site_dir / f".print-{lang}.html"
            document.write_text(assemble(site_dir, lang, default, chapters, build_stamp(lang)), encoding="utf-8")
            try:
                page = browser.new_page()
                page.goto(document.as_uri(), wait_until="load")
                page.evaluate("document.fonts.ready")
                text = TEXT.get(lang, TEXT["en"])
                small = 'style="font-size:8px;width:100%;padding:0 16mm;color:#666;font-family:sans-serif;'
                target = out_dir / f"deepseek-r1-{lang}.pdf"
                page.pdf(
                    path=str(target), format="A4", print_background=True, outline=True, tagged=True,
                    display_header_footer=True, prefer_css_page_size=True,
                    header_template=f'<div {small}text-align:right">{text["book"]}</div>',
                    footer_template=f'<div {small}text-align:center">{text["page"]}</div>',
                )
                page.close()
                repair_outline(target)
                written.append(target)
            finally:
                document.unlink(missing_ok=True)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/pdf_book.py", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args(argv)
    try:
        started = time.monotonic()
        for path in render(args.site, args.config):
            print(f"INFO    -  Wrote '{path.relative_to(args.site)}' ({path.stat().st_size // 1024} KiB)")
        print(f"INFO    -  PDFs done in {time.monotonic() - started:.1f} s")
    except PdfError as e:
        print(f"ERROR   -  {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
