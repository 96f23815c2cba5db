"""Build-time rendering of math and Mermaid (runs the real Node renderer)."""

import shutil

import pytest
from support import ROOT

from r1docs import prerender

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")


@pytest.fixture(scope="module")
def renderer():
    r = prerender.Renderer(ROOT)
    yield r
    r.close()


def test_inline_and_display_math_become_katex(renderer):
    html = '<p><span class="arithmatex">\\(a &lt; b\\)</span></p><div class="arithmatex">\\[\\frac{1}{2}\\]</div>'
    out, errors = prerender.prerender(html, renderer)
    assert errors == []
    assert "arithmatex" not in out and out.count('class="katex"') == 2
    assert '<div class="math" data-search-exclude><span class="katex"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in out
    assert "katex-html" not in out  # MathML alone: drawn by the browser, read by screen readers


def test_mermaid_becomes_svg_without_third_party_request(renderer):
    out, errors = prerender.prerender('<pre class="mermaid-source"><code>graph LR\n  A[专家] --&gt; B</code></pre>' * 2, renderer)
    assert errors == []
    assert out.count('<figure class="diagram" data-search-exclude><svg') == 2
    assert "http" not in out.replace("http://www.w3.org/", "")
    assert 'id="d1-arrowhead"' in out and 'id="d2-arrowhead"' in out  # ids are unique per page


def test_bad_formula_is_reported_and_left_as_source(renderer):
    html = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'
    out, errors = prerender.prerender(html, renderer)
    assert out == html
    assert [str(e) for e in errors] == ["formula '\\frac{1}{' that KaTeX cannot render: KaTeX parse error: Unexpected end of input in a macro argument, expected '}' at end of input: \\frac{1}{"]


def test_missing_renderer_packages_name_the_fix(tmp_path):
    with pytest.raises(prerender.RendererUnavailable, match=r"run 'npm ci' there"):
        prerender.Renderer(tmp_path).render({"kind": "math", "tex": "x", "display": False})


def test_answers_survive_in_the_disk_cache(tmp_path):
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    first = prerender.Renderer(tmp_path)
    answer = first.render({"kind": "math", "tex": "x^2", "display": False})
    first.close()
    second = prerender.Renderer(tmp_path)
    assert second.render({"kind": "math", "tex": "x^2", "display": False}) == answer
    assert second._proc is None  # served from .cache/prerender.json: no Node process started
    assert "²" not in second.math_characters() and "x" in second.math_characters()
