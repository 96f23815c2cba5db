"""The reader-facing typesetting core: diagram layouts, line breaks, MathML Core, charts."""

from __future__ import annotations

import pytest

from r1docs import chart, typeset


def test_a_left_right_flowchart_gets_a_top_down_twin():
    source = '<pre class="mermaid-source" data-search-exclude><code>graph LR\n  A --&gt; B\n</code></pre>'
    out = typeset.add_layouts(source)
    assert out.startswith('<div class="r1-layouts">') and out.count("mermaid-source") == 2
    assert "graph TD\n  A --&gt; B" in out
    assert typeset.add_layouts(source.replace("graph LR", "graph TD")) == source.replace("graph LR", "graph TD")


def svg(width: float, font: float) -> str:
    return f'<svg viewBox="0 0 {width} 100" width="{width}"><text font-size="{font}">x</text></svg>'


@pytest.mark.parametrize(
    ("wide", "narrow", "expected"),
    [
        ((600, 12), (400, 12), ["r1-wide-only", "--r1-legible-width:500px", "r1-narrow-only", "--r1-legible-width:333px"]),
        ((1000, 11), (600, 11), ["--r1-legible-width:545px"]),  # too wide for a desktop: the narrow one everywhere
        ((400, 12), (600, 12), ["--r1-legible-width:333px"]),  # the first layout is the narrower: it alone
    ],
    ids=["one-each", "narrow-everywhere", "first-is-narrower"],
)
def test_layouts_are_chosen_by_legible_width(wide, narrow, expected):
    page = (f'<div class="r1-layouts"><figure class="diagram" data-search-exclude>{svg(*wide)}</figure>'
            f'<figure class="diagram" data-search-exclude>{svg(*narrow)}</figure></div><!--/r1-layouts-->')
    out = typeset.choose_layouts(page)
    positions = [out.index(x) for x in expected]
    assert positions == sorted(positions) and "r1-layouts" not in out
    if len(expected) == 1:
        assert out.count("<figure") == 1


def test_every_diagram_gets_its_legible_width():
    out = typeset.choose_layouts(f'<figure class="diagram" data-search-exclude>{svg(880, 11)}</figure>')
    assert 'style="--r1-legible-width:800px"' in out


@pytest.mark.parametrize(
    ("html", "wrapped"),
    [
        (r'见<span class="arithmatex">\(K_r\)</span>。', True),
        (r'（<span class="arithmatex">\(x\)</span>）', True),
        (r'is <span class="arithmatex">\(x\)</span>, so', True),
        (r'is <span class="arithmatex">\(x\)</span> and', False),
        (r'<span class="arithmatex">\(' + "a+" * 30 + r'b\)</span>。', True),  # MathML never breaks inside
    ],
    ids=["zh-full-stop", "brackets", "en-comma", "no-punctuation", "long-formula"],
)
def test_punctuation_stays_with_the_formula_before_it(html, wrapped):
    out = typeset.keep_punctuation_with_math(html)
    assert ('<span class="r1-nobr">' in out) == wrapped


def test_mathml_core_styles_letters_and_spacing():
    math = ('<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mi>β</mi><mi>log</mi><msub><mi>o</mi>'
            '<mrow><mo>&lt;</mo><mi>t</mi></mrow></msub><mi mathvariant="bold">u</mi><mi mathvariant="script">L</mi>'
            '<mi mathvariant="double-struck">E</mi></mrow></math>')
    out = typeset.mathml_core(f"<p>{math}</p>")
    assert '<mi mathvariant="normal">𝐮</mi>' in out and "ℒ" in out and "𝔼" in out
    assert '<mo lspace="0" rspace="0">&lt;</mo>' in out
    assert '<mi>β</mi><mspace width="0.1667em" /><mi>log</mi>' in out


CHART = """title: Scores
axis: Score
max: 100
series: [R1, o1]
rows:
  - [AIME, 79.8, 79.2]
  - [MMLU, 90.8, 91.8]
"""


def test_chart_has_legend_values_axis_from_zero_and_patterns():
    out, errors = chart.render_charts(f'<pre class="chart-source"><code>{CHART}</code></pre>')
    assert errors == []
    assert out.startswith('<figure class="r1-chart"') and 'aria-label="Scores"' in out
    assert ">R1</text>" in out and ">o1</text>" in out  # the legend names the series
    assert ">79.8</text>" in out and ">91.8</text>" in out  # every bar has its value
    assert ">0</text>" in out and ">100</text>" in out  # the axis runs from zero
    assert 'fill:url(#c1-hatch)' in out and 'id="c1-hatch"' in out  # the second series is hatched


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("title: [", "is not valid YAML"),
        ("- a", "must be a mapping with 'title', 'series' and 'rows'"),
        (CHART.replace("title: Scores\n", ""), "needs a 'title' (the chart's accessible name)"),
        (CHART + "colour: red\n", "has unknown field 'colour' (known: title, axis, max, unit, series, rows)"),
        (CHART.replace("79.8, 79.2", "79.8"), "has row 1 not of the form [label, value, value] with values ≥ 0"),
        (CHART.replace("max: 100", "max: 90"), "has 'max: 90' below its largest value 91.8"),
    ],
    ids=["yaml", "shape", "title", "unknown-field", "row", "max"],
)
def test_bad_chart_is_one_message_and_keeps_its_source(block, message):
    source = f'<pre class="chart-source"><code>{block}</code></pre>'
    out, errors = chart.render_charts(source)
    assert out == source and len(errors) == 1
    assert errors[0].startswith("chart '") and message in errors[0]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("old policy π_old", 'π<tspan baseline-shift="sub" font-size="11">old</tspan>'),
        ("W^{UK}: up", 'W<tspan baseline-shift="super" font-size="11">UK</tspan>: up'),
        ("output h'_t", "h'<tspan baseline-shift=\"sub\""),
        ("rule_reward R1_Zero", "rule_reward R1_Zero"),
    ],
    ids=["subscript", "superscript-braces", "prime", "words-left-alone"],
)
def test_diagram_labels_get_real_scripts_no_smaller_than_the_smallest_label(label, expected):
    svg = f'<svg><text font-size="13">{label}</text><text font-size="11">edge</text></svg>'
    assert expected in typeset.label_notation(svg)


def test_mathml_keeps_its_namespace_after_the_sitemap_is_written():
    from r1docs import seo

    sitemap = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
               '<url><loc>https://x/</loc></url></urlset>')
    seo.add_x_default(sitemap, "zh")  # `mkdocs serve` writes a sitemap between two builds' pages
    out = typeset.mathml_core('<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>')
    assert out.startswith("<math ") and "ns0:" not in out


@pytest.mark.parametrize(
    ("html", "wrapped"),
    [
        ('（<a href="g.html" title="t">RoPE</a>），', True),
        ('<code>wkv_b</code>。', True),
        ('<a href="g.html">RoPE</a> and', False),
    ],
    ids=["link-bracket", "code-full-stop", "no-punctuation"],
)
def test_punctuation_stays_with_a_short_link_or_code(html, wrapped):
    out = typeset.keep_punctuation_with_math(html)
    assert ('<span class="r1-nobr">' in out) == wrapped


# --- The passes work on the HTML tree (hooks/r1docs/html_tree.py), not on the source text ----
BOLD_U = '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi mathvariant="bold">u</mi></math>'


def test_a_script_mentioning_math_does_not_hide_the_formula_after_it():
    # A regex from "<math" to "</math>" started inside the script, failed to parse, and left
    # the real formula unconverted.
    page = f'<script>var tag = "<math>";</script><p>{BOLD_U}</p>'
    out = typeset.mathml_core(page)
    assert out.startswith('<script>var tag = "<math>";</script>') and "𝐮" in out


def test_math_inside_code_text_is_left_alone():
    page = f'<p><code>&lt;math&gt;x&lt;/math&gt;</code> {BOLD_U}</p>'
    out = typeset.mathml_core(page)
    assert "<code>&lt;math&gt;x&lt;/math&gt;</code>" in out and "𝐮" in out


def test_an_attribute_holding_a_bracket_does_not_end_the_tag():
    # `[^>]*` stopped at the ">" inside the title: the link was not held with its comma.
    out = typeset.keep_punctuation_with_math('<p><a href="g.html" title="x > y">RoPE</a>，然后</p>')
    assert out == '<p><span class="r1-nobr"><a href="g.html" title="x > y">RoPE</a>，</span>然后</p>'
    figure = f'<figure class="diagram" data-note="a > b">{svg(880, 11)}</figure>'
    assert 'style="--r1-legible-width:800px"' in typeset.choose_layouts(figure)


def test_formula_source_inside_a_code_block_is_not_wrapped():
    page = r'<pre><code>&lt;span class="arithmatex"&gt;\(x\)&lt;/span&gt;。</code></pre>'
    assert typeset.keep_punctuation_with_math(page) == page


def test_an_untouched_page_comes_back_byte_for_byte():
    from r1docs import html_tree

    page = ('<!doctype html><html><head><style>a > b {}</style></head><body><p>a<br>b &amp; c<!-- x -->'
            '<svg viewBox="0 0 1 1"><linearGradient id="g"/></svg></P><p>open<li>implicit</body></html></stray>')
    assert html_tree.parse(page).source() == page
    assert typeset.after_render(page) == page


def test_tables_are_wrapped_once_at_build_time():
    """Wrapped as Material's bundle would, with a class so that it does not wrap them again."""
    page = ('<article class="md-content__inner md-typeset"><table>\n<tr><td>1</td></tr></table>'
            '<table class="kept"><tr><td>2</td></tr></table></article>')
    out = typeset.after_render(page)
    assert out == ('<article class="md-content__inner md-typeset"><div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
                   '<table class="r1-table">\n<tr><td>1</td></tr></table></div></div>'
                   '<table class="kept"><tr><td>2</td></tr></table></article>')
    assert typeset.after_render(out) == out


def test_row_labels_under_an_empty_corner_become_row_headers():
    """A screen reader names the row of every value (axe: td-has-header); a table whose corner
    cell holds a header, or none, keeps its cells."""
    page = ('<article class="md-content__inner md-typeset">'
            '<table><thead><tr><th></th><th>V3</th></tr></thead><tbody>'
            '<tr><td style="x">Tokens <em>used</em></td><td>14.8T</td></tr></tbody></table>'
            '<table><thead><tr><th>Model</th><th>AIME</th></tr></thead><tbody><tr><td>R1</td><td>79.8</td></tr></tbody></table>'
            '<table><tbody><tr><td>a</td></tr></tbody></table></article>')
    out = typeset.after_render(page)
    assert '<tr><th style="x" scope="row">Tokens <em>used</em></th><td>14.8T</td></tr>' in out
    assert "<tr><td>R1</td><td>79.8</td></tr>" in out and "<tr><td>a</td></tr>" in out
    assert typeset.after_render(out) == out
