"""A long article grouped into chunks the browser may skip until they are shown."""

from __future__ import annotations

import re

import pytest

from r1docs import html_tree, progressive, typeset

ARTICLE = '<article class="md-content__inner md-typeset">{}</article>'


def chunked(body: str) -> str:
    return typeset.after_render(ARTICLE.format(body))


def chunks(out: str) -> list[str]:
    return re.findall(r'<div class="r1-chunk"[^>]*>(.*?)</div>(?=<h|</article>|<div class="r1-chunk")', out, re.S)


def test_sections_after_the_first_heading_become_chunks_and_headings_stay_outside():
    body = ("<h1>T</h1><p>intro</p>"
            "<h2 id='a'>A</h2><p>one</p><p>two</p>"
            "<h3 id='b'>B</h3><ul><li>three</li></ul>")
    out = chunked(body)
    assert out.startswith(ARTICLE.format("")[:-10] + "<h1>T</h1><p>intro</p><h2 id='a'>A</h2><div class=\"r1-chunk\"")
    assert chunks(out) == ["<p>one</p><p>two</p>", "<ul><li>three</li></ul>"]
    assert not re.search(r'<div class="r1-chunk"[^>]*>(?:(?!</div>).)*<h\d', out, re.S)
    assert typeset.after_render(out) == out  # once only


def test_a_page_without_a_second_level_heading_is_left_as_it_is():
    body = "<h1>T</h1><p>one</p><p>two</p>"
    assert chunked(body) == ARTICLE.format(body)


def test_a_long_section_is_split_at_the_node_budget_and_a_big_block_stands_alone():
    small = "<p>" + "<b>x</b>" * ((progressive.CHUNK_NODES // 3 - 1) // 2) + "</p>"  # three fit, four do not
    big = "<ul>" + "<li>y</li>" * progressive.CHUNK_NODES + "</ul>"
    out = chunked("<h2>A</h2>" + small * 5 + big + small)
    parts = chunks(out)
    assert [p.count("<p>") for p in parts] == [3, 2, 0, 1]
    assert parts[2] == big
    assert all(progressive.nodes(html_tree.parse(p)) <= progressive.CHUNK_NODES for p in parts if p != big)


def test_nodes_count_elements_and_text_runs_inside_math_kept_as_one_piece():
    math = '<math display="block"><mrow><mi>x</mi><mo>=</mo><mn>1</mn></mrow></math>'
    doc = html_tree.parse(f"<div class='math'>{math}</div>", ("math",))
    assert progressive.nodes(doc.children[0]) == 1 + 5 + 3


@pytest.mark.parametrize(
    ("block", "phone", "desktop"),
    [
        ("<p>" + "a" * 100 + "</p>", 3 * 25.6 + 16, 2 * 25.6 + 16),  # 800 px of text
        ("<p>" + "字" * 50 + "</p>", 3 * 25.6 + 16, 2 * 25.6 + 16),  # CJK: 1 em each
        ('<figure class="diagram"><svg viewBox="0 0 800 400"></svg></figure>', 358 / 2 + 16, 688 / 2 + 16),
        ('<figure class="diagram r1-wide-only"><svg viewBox="0 0 800 400"></svg></figure>', 0, 688 / 2 + 16),
        ('<figure class="diagram r1-narrow-only"><svg viewBox="0 0 300 600"></svg></figure>', 600 + 16, 0),
    ],
    ids=["latin", "cjk", "diagram", "wide-layout-only", "narrow-layout-only"],
)
def test_heights_are_estimated_for_a_phone_and_a_desktop_column(block, phone, desktop):
    el = html_tree.parse(block).children[0]
    assert progressive.height(el, progressive.PHONE_COLUMN_PX) == pytest.approx(phone)
    assert progressive.height(el, progressive.DESKTOP_COLUMN_PX) == pytest.approx(desktop)


def test_each_chunk_carries_its_estimates_as_custom_properties():
    out = chunked("<h2>A</h2><p>" + "a" * 100 + "</p>")
    assert '<div class="r1-chunk" style="--r1-h:93px;--r1-h-wide:67px">' in out
