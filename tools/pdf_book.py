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
FC_LIST = "fc-list"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.S)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]+)"')
ATTR_URL = re.compile(r'(?P<attr>href|src)="(?P<url>[^"]*)"')
ATTR_ID = re.compile(r'\bid="(?P<id>[^"]+)"')
# SVG paint and marker references (marker-end="url(#a)", fill="url(&quot;#b&quot;)", style="...url(#c)")
URL_REF = re.compile(r"url\((?P<q>&quot;|[\"']?)#(?P<id>[^)\"'&]+)(?P=q)\)")
KATEX = re.compile(r'<span class="katex">')
SPAN_TAG = re.compile(r"<span\b|</span>")
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
MATHML = re.compile(r"<math\b.*?</math>", re.S)
H1 = re.compile(r'<h1\b(?:[^>]*\bid="(?P<id>[^"]*)")?[^>]*>.*?</h1>', re.S)
HEADING = re.compile(r"(?P<open><h(?P<level>[1-6])\b[^>]*>)(?P<inner>.*?)(?P<close></h(?P=level)>)", re.S)
HEADINGS = re.compile(r'<h2 id="(?P<id>[^"]+)"[^>]*>(?P<title>.*?)</h2>', re.S)
# Site chrome inside the article that means nothing on paper.
CHROME = re.compile(r'<a[^>]*class="(?:headerlink|md-content__button[^"]*)"[^>]*>.*?</a>', re.S)

TEXT = {
    "zh": {"book": "DeepSeek-R1 技术解读", "language": "简体中文版", "contents": "目录", "built": "构建于",
           "commit": "提交", "page": "第 <span class=pageNumber></span> 页，共 <span class=totalPages></span> 页"},
    "en": {"book": "DeepSeek-R1 Explained", "language": "English edition", "contents": "Contents", "built": "Built on",
           "commit": "commit", "page": "Page <span class=pageNumber></span> of <span class=totalPages></span>"},
}

# The page's margins (top, right, bottom, left) on A4 (297 mm high), in mm: the print CSS sets
# them, and the page check below measures a figure against the height they leave.
A4_HEIGHT_MM = 297
MARGIN_MM = (18, 16, 20, 16)
PRINT_CSS = """
@font-face { font-family: "Noto Sans Math"; src: url("assets/math/noto-sans-math.woff2") format("woff2"); }
.md-typeset math { font-family: "Noto Sans Math", math; font-size: 1.1em; }
div.math { margin: 0.8em 0; }
@page { size: A4; margin: MARGINS; }
html { font-size: 125%; }
body { background: white; }
.md-typeset { font-size: 0.62rem; line-height: 1.6; }
:lang(zh) body, :lang(zh) .md-typeset { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
section.chapter { break-before: page; }
.md-typeset h1 { margin-top: 0; }
.md-typeset pre > code, .md-typeset code { white-space: pre-wrap; word-break: break-word; }
.md-typeset__scrollwrap, .md-typeset__table { overflow: visible !important; display: block; margin: 1em 0 !important; padding: 0 !important; }
.md-typeset table:not([class]) { display: table; width: 100%; font-size: 0.56rem; }
.md-typeset table:not([class]) td, .md-typeset table:not([class]) th { padding: 0.35em 0.6em; word-break: break-word; }
.md-typeset table:not([class]) th { min-width: 3em; }
.md-typeset table:not([class]) tbody th[scope=row] { min-width: 0; font-weight: inherit; border-top: .05rem solid var(--md-typeset-table-color); }
.md-typeset tr, .md-typeset figure, .md-typeset .admonition, div.math { break-inside: avoid; }
.md-typeset h2, .md-typeset h3 { break-after: avoid; }
div.math { overflow: visible !important; }
figure.diagram svg { max-width: 100%; max-height: 235mm; height: auto; }
figure.r1-narrow-only { display: none; }
figure.r1-chart svg { width: 9cm; max-width: 100%; height: auto; }
.r1-nobr { white-space: nowrap; }
:lang(zh) em { font-style: normal; text-emphasis: filled dot; text-emphasis-position: under right; }
.md-typeset a { color: #303fa1; }
.book-cover { height: 230mm; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.book-cover .title { font-size: 2rem; font-weight: 700; margin-bottom: 0.6em; }
.book-cover .edition { font-size: 1rem; margin-bottom: 2.5em; }
.book-cover .meta { font-size: 0.7rem; color: #555; }
.book-toc { break-before: page; }
.book-toc .toc-title { font-size: 1.2rem; font-weight: 700; margin-bottom: 0.8em; }
.book-toc ol { font-size: 0.7rem; line-height: 1.9; }
.book-toc ol ol { font-size: 0.62rem; line-height: 1.6; }
""".replace("MARGINS", " ".join(f"{mm}mm" for mm in MARGIN_MM))


# Chapters listed as one entry in the contents and the outline: the glossary's sections are
# its terms, over a hundred of them.
FLAT_CHAPTERS = {"glossary/"}
# Bookmarks deeper than this are dropped: chapters and their sections.
OUTLINE_DEPTH = 2


def katex_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every KaTeX formula (`<span class="katex">…</span>`, nested spans) in `text`."""
    spans = []
    for m in KATEX.finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue
        depth, end = 0, m.start()
        for tag in SPAN_TAG.finditer(text, m.start()):
            depth += 1 if tag[0] == "<span" else -1
            if depth == 0:
                end = tag.end()
                break
        spans.append((m.start(), end))
    return spans


def math_as_mathml(text: str) -> str:
    """Each KaTeX formula in `text` as its MathML alone, without the TeX annotation: Chromium
    draws MathML itself, and a bookmark then reads the formula once, not three times."""
    out, last = [], 0
    for start, end in katex_spans(text):
        mathml = MATHML.search(text, start, end)
        out.append(text[last:start] + (ANNOTATION.sub("", mathml[0]) if mathml else text[start:end]))
        last = end
    return "".join(out) + text[last:]


def plain_text(fragment: str) -> str:
    """A heading as plain text: its formulas read once, markup removed."""
    text = re.sub(r"<[^>]+>", "", math_as_mathml(fragment))
    return " ".join(html.unescape(text).split())


# The width of the text on an A4 page (210 mm less 2 x 16 mm margins) in CSS px: the print
# document is laid out at this width before it is printed, so what fits here fits the page.
PAGE_TEXT_PX = round((210 - 32) * 96 / 25.4)
# Shrink every table, display formula and diagram that is wider than the text until it fits.
FIT_TO_PAGE = """() => {
  let changed = 0
  const limit = document.querySelector(".md-typeset").getBoundingClientRect().right
  for (const el of document.querySelectorAll("section.chapter table, section.chapter div.math")) {
    for (let i = 0; i < 8; i++) {
      const r = el.getBoundingClientRect(), inner = el.querySelector("math")
      const right = Math.max(r.left + el.scrollWidth, inner ? inner.getBoundingClientRect().right : 0, r.right)
      if (right <= limit + 0.5) break
      const size = parseFloat(getComputedStyle(el).fontSize)
      el.style.fontSize = (size * 0.98 * (limit - r.left) / (right - r.left)).toFixed(2) + "px"
      changed++
    }
  }
  return changed
}"""
# What still reaches past the text on the page: (tag.class, text) of each element.
PAST_THE_PAGE = """() => {
  const limit = document.querySelector(".md-typeset").getBoundingClientRect().right + 1
  const pageHeight = PAGE_HEIGHT_MM * 96 / 25.4  // A4 less the @page margins, in CSS px
  const out = []
  // A figure is kept on one page (break-inside: avoid): one taller than a page is split.
  for (const el of document.querySelectorAll("section.chapter figure"))
    if (el.getBoundingClientRect().height > pageHeight)
      out.push({el, what: `figure.${el.getAttribute("class") || ""} taller than a page: ${el.textContent.trim().slice(0, 40)}`})
  // Drawn only inside an ancestor that hides its overflow (KaTeX's stretchy SVGs): not cut.
  const clipped = (el, limit) => {
    for (let a = el.parentElement; a && !a.matches("section.chapter"); a = a.parentElement)
      if (getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= limit) return true
    return false
  }
  for (const el of document.querySelectorAll("section.chapter *")) {
    const r = el.getBoundingClientRect()
    if (r.width > 0 && r.right > limit && !out.some(o => o.el.contains(el)) && !clipped(el, limit))
      out.push({el, what: `${el.tagName.toLowerCase()}.${el.getAttribute("class") || ""}: ${el.textContent.trim().slice(0, 40)}`})
  }
  return out.map(o => o.what)
}""".replace("PAGE_HEIGHT_MM", str(A4_HEIGHT_MM - MARGIN_MM[0] - MARGIN_MM[2]))


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
        locale = language.get("locale")
        if language.get("build") is False:
            raise PdfError(f"Language '{locale}' has 'build: false' in '{config_file.name}', so the site has no pages "
                           "to print for it: set 'build: true' (or remove the language) and run 'make build'.")
        if not language.get("nav"):
            raise PdfError(f"Language '{locale}' has no 'nav' in '{config_file.name}': the book follows the nav, so give it one.")
        chapters = []
        for title, page in nav_entries(language["nav"]):
            path = "" if page == "index.md" else page[: -len(".md")] + "/"
            chapters.append(Chapter(title or page, path, "p-" + (path.strip("/") or "home")))
        books[locale] = chapters
    return books


def assemble(site_dir: Path, lang: str, default: str, chapters: list[Chapter], stamp: str) -> str:
    """The print document of one language, written to live at the site root."""
    prefix = "" if lang == default else f"{lang}/"
    by_path = {c.path: c for c in chapters}
    text = TEXT.get(lang, TEXT["en"])
    if not (site_dir / prefix / "index.html").exists():
        raise PdfError(f"No built pages for language '{lang}' in '{site_dir / prefix}': run 'make build' first.")
    home = (site_dir / prefix / "index.html").read_text(encoding="utf-8")
    styles = [posixpath.normpath(posixpath.join(prefix, m["href"])) for m in STYLESHEET.finditer(home)]

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
        # The site wraps its tables at build time and marks them r1-table so that Material's
        # bundle leaves them alone, and gives that class Material's table style in its inline CSS.
        # The book links Material's stylesheets only: unmarked, its tables get that style there.
        body = body.replace('<table class="r1-table">', "<table>")
        body = ATTR_ID.sub(lambda m: f'id="{chapter.slug}--{m["id"]}"', body)
        body = ATTR_URL.sub(url, body)
        body = URL_REF.sub(lambda m: f'url({m["q"]}#{chapter.slug}--{m["id"]}{m["q"]})', body)
        body = HEADING.sub(lambda m: m["open"] + math_as_mathml(m["inner"]) + m["close"], body)
        # The chapter's h1 takes the chapter's id; links to the page's own h1 id still land on it.
        return H1.sub(lambda m: f'<h1 id="{chapter.slug}">' + (f'<a id="{m["id"]}"></a>' if m["id"] else "")
                      + f"{html.escape(chapter.title)}</h1>", body, count=1)

    sections, toc = [], []
    for chapter in chapters:
        source = site_dir / prefix / chapter.path / "index.html"
        if not source.exists():
            raise PdfError(f"No built page '{source}' for the nav entry '{chapter.title}': run 'make build' first.")
        match = ARTICLE.search(source.read_text(encoding="utf-8"))
        if match is None:
            raise PdfError(f"No article found in '{source}': is the site built with the Material theme?")
        body = rewrite(match["body"], chapter)
        sections.append(f'<section class="chapter">{body}</section>')
        subs = "" if chapter.path in FLAT_CHAPTERS else "".join(
            f'<li><a href="#{m["id"]}">{html.escape(plain_text(m["title"]))}</a></li>' for m in HEADINGS.finditer(body))
        toc.append(f'<li><a href="#{chapter.slug}">{html.escape(chapter.title)}</a>' + (f"<ol>{subs}</ol>" if subs else "") + "</li>")

    links = "\n".join(f'<link rel="stylesheet" href="{s}">' for s in styles)
    # `dir` as on the site's <body>: Material sets the side paddings and margins of admonition
    # titles (room for the icon), lists and blockquotes under [dir=ltr] only.
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{text['book']}</title>
{links}
<style>{PRINT_CSS}</style></head>
<body dir="ltr"><div class="md-typeset">
<div class="book-cover"><div class="title">{text['book']}</div><div class="edition">{text['language']}</div>
<div class="meta">{stamp}</div></div>
<nav class="book-toc"><div class="toc-title">{text['contents']}</div><ol>{''.join(toc)}</ol></nav>
{''.join(sections)}
</div></body></html>"""


def repair_outline(path: Path, flat_titles: set[str] = frozenset()) -> int:
    """Put the bookmarks right in place; returns how many were changed.

    Chromium (156) names a bookmark twice ('成本成本') when its heading starts a page; it
    also makes one per heading of every level. Keep chapters and their sections
    (OUTLINE_DEPTH), and the chapters in `flat_titles` without sections."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject, TextStringObject

    writer = PdfWriter(clone_from=str(path))
    repaired = 0
    outlines = writer._root_object.get("/Outlines")
    stack = [(outlines.get_object().get("/First"), 1)] if outlines is not None else []
    while stack:
        node, depth = stack.pop()
        node = node.get_object() if node is not None else None
        if node is None:
            continue
        title = node.get("/Title")
        if title is not None:
            half = len(title) // 2
            if len(title) % 2 == 0 and title[:half] == title[half:]:
                title = title[:half]
                node[NameObject("/Title")] = TextStringObject(title)
                repaired += 1
        if node.get("/First") is not None and (depth >= OUTLINE_DEPTH or title in flat_titles):
            for key in ("/First", "/Last"):
                del node[key]
            node[NameObject("/Count")] = NumberObject(0)
            repaired += 1
        elif node.get("/First") is not None:
            stack.append((node["/First"], depth + 1))
        if node.get("/Next") is not None:
            stack.append((node["/Next"], depth))
    if repaired and outlines is not None:
        _recount(outlines.get_object())
    if repaired:
        with open(path, "wb") as out:
            writer.write(out)
    return repaired


def _recount(node) -> int:
    """Set /Count of `node` and its descendants to their visible bookmarks; return it."""
    from pypdf.generic import NameObject, NumberObject

    visible, child = 0, node.get("/First")
    while child is not None:
        child = child.get_object()
        below = _recount(child)
        visible += 1 + (below if child.get("/Count", 0) >= 0 else 0)
        child = child.get("/Next")
    if node.get("/First") is not None:
        closed = node.get("/Count", 0) < 0
        node[NameObject("/Count")] = NumberObject(-visible if closed else visible)
    return visible


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
        version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=60)
        is_browser = version.returncode == 0 and "chrom" in version.stdout.lower()
    except (OSError, subprocess.SubprocessError):
        is_browser = False
    if not is_browser:
        raise PdfError(f"'{CHROMIUM}' is not a Chromium browser ('{CHROMIUM} --version' does not name one): "
                       "set CHROMIUM to Chromium's path (Debian: /usr/bin/chromium, from apt-get install chromium).")
    try:
        fonts = subprocess.run([FC_LIST, ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
    except OSError:
        raise PdfError("'fc-list' not found, so no Chinese font can be checked: install fontconfig "
                       "(Debian: apt-get install fontconfig fonts-noto-cjk).") from None
    if "CJK SC" not in fonts and "SC" not in fonts:
        raise PdfError("No Simplified Chinese font found: install one (Debian: apt-get install fonts-noto-cjk).")


def open_print_document(browser, document: Path):
    """A page with the print document laid out as on paper, everything fitted to the page."""
    page = browser.new_page(viewport={"width": PAGE_TEXT_PX, "height": 1100})
    page.emulate_media(media="print")
    page.goto(document.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready")
    page.evaluate(FIT_TO_PAGE)
    return page


def render(site_dir: Path, config_file: Path) -> list[Path]:
    books = nav_chapters(config_file)
    check_prerequisites(site_dir)
    from playwright.sync_api import Error as PlaywrightError, sync_playwright

    default = next(iter(books))
    out_dir = site_dir / "pdf"
    out_dir.mkdir(exist_ok=True)
    written = []
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as e:
            raise PdfError(f"Chromium at '{CHROMIUM}' did not start: {str(e).splitlines()[0]}") from None
        for lang, chapters in books.items():
            document = site_dir / f".print-{lang}.html"
            document.write_text(assemble(site_dir, lang, default, chapters, build_stamp(lang)), encoding="utf-8")
            try:
                page = open_print_document(browser, document)
                for what in page.evaluate(PAST_THE_PAGE):
                    print(f"WARNING -  Past the page edge in the {lang} book: {what}", file=sys.stderr)
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
                repair_outline(target, {c.title for c in chapters if c.path in FLAT_CHAPTERS})
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
