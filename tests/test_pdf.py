"""`make pdf`: one book per language, checked with pypdf and poppler."""

from __future__ import annotations

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
