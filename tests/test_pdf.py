"""`make pdf`: one book per language, checked with pypdf and poppler."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

import pdf_book
from support import ROOT

pytestmark = pytest.mark.build


@pytest.fixture(scope="session")
def books(built_site):
    assert built_site.result.returncode == 0
    if not os.path.exists(pdf_book.CHROMIUM) and os.environ.get("CI") != "true":
        pytest.skip("Chromium is not installed")
    site, config = built_site.project / "site", built_site.project / "mkdocs.yml"
    # As `make pdf` runs it: its own process (and its own Playwright, apart from the browser tests').
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "pdf_book.py"), "--site", str(site), "--config", str(config)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Past the page edge" not in result.stderr, result.stderr  # everything was fitted to the page
    chapters = pdf_book.nav_chapters(config)
    return {lang: (site / "pdf" / f"deepseek-r1-{lang}.pdf", chapters[lang]) for lang in chapters}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_outline_mirrors_the_nav(books, lang):
    path, chapters = books[lang]
    reader = PdfReader(path)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [c.title for c in chapters]
    assert any(isinstance(item, list) and item for item in reader.outline)  # section headings nest below
    assert len(reader.pages) > len(chapters)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_font_is_embedded(books, lang):
    path, _ = books[lang]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts
    assert [line for line in fonts if line.split()[-5] != "yes"] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_is_extractable_with_no_raw_tex_or_diagram_source(books, lang):
    path, _ = books[lang]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    expected = ["混合专家", "多头潜在注意力", "蒸馏"] if lang == "zh" else ["mixture of experts", "multi-head latent attention", "distillation"]
    assert all(phrase in text.lower() for phrase in expected) and "GRPO" in text
    assert not re.search(r"\\(frac|hat|mathbb|operatorname|text)\b|\$\$", text)
    assert "graph LR" not in text and "graph TD" not in text and "-->" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_links_jump_inside_and_outside(books, lang):
    path, _ = books[lang]
    internal = external = 0
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object()
            if action.get("/Subtype") != "/Link":
                continue
            a = action.get("/A")
            if a is not None and a.get_object().get("/S") == "/URI":
                external += 1
            elif action.get("/Dest") is not None or (a is not None and a.get_object().get("/S") == "/GoTo"):
                internal += 1
    assert internal > 20 and external > 5


def test_cover_and_formula_pages_render(books, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    path, _ = books["zh"]
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "cover")], check=True)
    assert list(tmp_path.glob("cover*.png"))


def test_missing_browser_is_one_line_error(built_site, monkeypatch, capsys):
    monkeypatch.setattr(pdf_book, "CHROMIUM", "/nonexistent/chromium")
    assert pdf_book.main(["--site", str(built_site.project / "site"), "--config", str(built_site.project / "mkdocs.yml")]) == 2
    err = capsys.readouterr().err
    assert err == "ERROR   -  Chromium not found at '/nonexistent/chromium': install it (Debian: apt-get install chromium) or set CHROMIUM.\n"


# --- Diagrams, wide content and the outline -------------------------------------------------
def print_documents(built_site):
    site, config = built_site.project / "site", built_site.project / "mkdocs.yml"
    books = pdf_book.nav_chapters(config)
    default = next(iter(books))
    return {lang: pdf_book.assemble(site, lang, default, chapters, "stamp") for lang, chapters in books.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_internal_svg_reference_resolves(built_site, lang):
    document = print_documents(built_site)[lang]
    ids = set(re.findall(r'\bid="([^"]+)"', document))
    refs = re.findall(r"url\((?:&quot;|[\"']?)#([^)\"'&]+)", document) + re.findall(r'href="#([^"]+)"', document)
    assert len([r for r in refs if "--d" in r]) > 10  # diagram markers are among them
    assert sorted({r for r in refs if r not in ids}) == []


# Chromium in its own process (the browser tests hold this one's Playwright): lays out a print
# document as the book builder does (fitted to the page) and prints what a script returns.
EVALUATE = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import pdf_book
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=pdf_book.CHROMIUM, args=pdf_book.CHROMIUM_ARGS)
    page = pdf_book.open_print_document(browser, Path(sys.argv[2]))
    print(json.dumps(page.evaluate(sys.argv[3])))
    browser.close()
"""


def evaluate_in_print(built_site, name: str, document: str, script: str):
    path = built_site.project / "site" / f".print-{name}.html"
    path.write_text(document, encoding="utf-8")
    try:
        result = subprocess.run([sys.executable, "-c", EVALUATE, str(ROOT / "tools"), str(path), script],
                                capture_output=True, text=True, timeout=300)
    finally:
        path.unlink()
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_wide_tables_and_formulas_are_fitted_to_the_page(built_site, books, tmp_path):
    """A 24-column table and an 89-term formula, added to the zh book, stay inside the page."""
    formula = subprocess.run(
        ["node", "--input-type=module", "-e",
         "import katex from 'katex'; process.stdout.write(katex.renderToString("
         "Array.from({length: 89}, (_, i) => `a_{${i + 1}}`).join(' + '), {displayMode: true, output: 'mathml'}))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    header = "".join(f"<th>column {i}</th>" for i in range(1, 25))
    row = "".join(f"<td>value {i}</td>" for i in range(1, 25))
    wide = (f'<section class="chapter"><h1 id="wide">Wide</h1><div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            f"<table><thead><tr>{header}</tr></thead><tbody><tr>{row}</tr></tbody></table></div></div>"
            f'<div class="math">{formula}</div></section>')
    document = print_documents(built_site)["zh"].replace("</div></body>", wide + "</div></body>")
    assert evaluate_in_print(built_site, "test", document, pdf_book.PAST_THE_PAGE) == []


def test_a_diagram_taller_than_a_page_is_scaled_to_one_page(built_site):
    """A top-down diagram taller than the page (the MHA/GQA/MQA/MLA comparison was split
    across two pages) is drawn no taller than one; a test figure shows the check sees it."""
    tall = ('<section class="chapter"><h1 id="tall">Tall</h1><figure class="diagram">'
            '<svg viewBox="0 0 200 1600" width="100%"><rect width="200" height="1600"/></svg></figure>'
            '<figure class="test-block" style="height:300mm">x</figure></section>')
    document = print_documents(built_site)["en"].replace("</div></body>", tall + "</div></body>")
    found = evaluate_in_print(built_site, "test", document, pdf_book.PAST_THE_PAGE)
    assert found == ["figure.test-block taller than a page: x"]


ICON_EDGES = """() => [...document.querySelectorAll(".admonition-title")].map(t => {
  const icon = getComputedStyle(t, "::before")
  return [t.textContent.trim(), parseFloat(getComputedStyle(t).paddingLeft), parseFloat(icon.left) + parseFloat(icon.width)] })"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admonition_titles_start_after_their_icon(built_site, lang):
    """Material makes room for the icon under [dir=ltr] only (was: the icon over the title)."""
    titles = evaluate_in_print(built_site, f"icons-{lang}", print_documents(built_site)[lang], ICON_EDGES)
    assert len(titles) > 5
    assert [(text, pad, icon) for text, pad, icon in titles if pad < icon + 4] == []


TABLE_LOOK = """() => [...document.querySelectorAll("section.chapter table")].map(t => {
  const th = t.querySelector("th"), td = t.querySelector("td")
  return [t.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(t).borderTopWidth),
          th ? getComputedStyle(th).textAlign : "left", td ? parseFloat(getComputedStyle(td).borderTopWidth) : 1] })"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_keep_materials_look_in_the_book(built_site, lang):
    """The book links Material's stylesheets, not the site's inline CSS: its tables must be the
    kind Material styles (was: the build's r1-table class left them with no borders)."""
    tables = evaluate_in_print(built_site, f"tables-{lang}", print_documents(built_site)[lang], TABLE_LOOK)
    assert len(tables) > 20
    assert [t for t in tables if t[1] <= 0 or t[2] not in ("left", "start") or t[3] <= 0] == []


def read_ppm(path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (what pdftoppm writes without -png)."""
    data = path.read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P6" and maxval == b"255"
    return int(width), int(height), pixels


# Material's indigo accent (#526cfe): the diagrams' arrowheads, and nothing else on the page
# (lines are grey, links a darker blue).
ACCENT = (0x52, 0x6C, 0xFE)


def accent_pixels(path) -> int:
    _, _, pixels = read_ppm(path)
    return sum(1 for i in range(0, len(pixels) - 2, 3)
               if sum((pixels[i + k] - ACCENT[k]) ** 2 for k in range(3)) < 40 ** 2)


def test_a_diagram_page_shows_its_arrowheads(books, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    path, chapters = books["en"]
    reader = PdfReader(path)
    starts = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)}
    first = starts[next(c.title for c in chapters if c.path == "grpo/")]  # its overview diagram opens the chapter
    counts = {}
    for number in range(first, first + 3):
        subprocess.run(["pdftoppm", "-r", "100", "-f", str(number), "-l", str(number), str(path), str(tmp_path / f"p{number}")], check=True)
        counts[number] = accent_pixels(next(tmp_path.glob(f"p{number}*.ppm")))
    assert max(counts.values()) > 30, counts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_outline_is_two_levels_with_the_glossary_as_one_entry(books, lang):
    path, chapters = books[lang]
    outline = PdfReader(path).outline
    assert not any(isinstance(x, list) and any(isinstance(y, list) for y in x) for x in outline)  # no third level
    glossary = next(c.title for c in chapters if c.path == "glossary/")
    at = [x.title if not isinstance(x, list) else None for x in outline].index(glossary)
    assert at == len(outline) - 1 or not isinstance(outline[at + 1], list)


def test_headings_with_math_read_as_plain_text():
    heading = subprocess.run(
        ["node", "--input-type=module", "-e", "import katex from 'katex'; process.stdout.write(katex.renderToString('\\\\mathcal{L}_{GRPO}'))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert pdf_book.plain_text(f"Loss {heading} term") == "Loss LGRPO term"
    assert "annotation" not in pdf_book.math_as_mathml(heading) and "katex-html" not in pdf_book.math_as_mathml(heading)


# --- Bad set-ups: one line, exit 2 -----------------------------------------------------------
def run_main(built_site, capsys, config=None) -> tuple[int, str]:
    code = pdf_book.main(["--site", str(built_site.project / "site"), "--config", str(config or built_site.project / "mkdocs.yml")])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("kind", ["false", "directory"])
def test_chromium_that_is_not_a_browser_is_one_line_error(built_site, monkeypatch, capsys, tmp_path, kind):
    target = "/bin/false" if kind == "false" else str(tmp_path)
    monkeypatch.setattr(pdf_book, "CHROMIUM", target)
    code, err = run_main(built_site, capsys)
    assert code == 2
    assert err == (f"ERROR   -  '{target}' is not a Chromium browser ('{target} --version' does not name one): "
                   "set CHROMIUM to Chromium's path (Debian: /usr/bin/chromium, from apt-get install chromium).\n")


def test_missing_fc_list_is_one_line_error(built_site, monkeypatch, capsys):
    if not os.path.exists(pdf_book.CHROMIUM):
        pytest.skip("Chromium is not installed")
    monkeypatch.setattr(pdf_book, "FC_LIST", "/nonexistent/fc-list")
    code, err = run_main(built_site, capsys)
    assert code == 2
    assert err == ("ERROR   -  'fc-list' not found, so no Chinese font can be checked: install fontconfig "
                   "(Debian: apt-get install fontconfig fonts-noto-cjk).\n")


def test_language_not_built_is_one_line_error(built_site, capsys, tmp_path):
    config = built_site.project / "mkdocs.yml"
    copy = config.with_name("mkdocs-no-en.yml")
    text = config.read_text(encoding="utf-8")
    copy.write_text(text.replace("          name: English\n          build: true", "          name: English\n          build: false"), encoding="utf-8")
    try:
        code, err = run_main(built_site, capsys, copy)
    finally:
        copy.unlink()
    assert code == 2
    assert err == ("ERROR   -  Language 'en' has 'build: false' in 'mkdocs-no-en.yml', so the site has no pages to print "
                   "for it: set 'build: true' (or remove the language) and run 'make build'.\n")
