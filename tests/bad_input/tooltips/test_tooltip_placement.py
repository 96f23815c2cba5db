"""Tooltips are linked on the parsed page: no Markdown construct around a term, and nothing
in a definition, can corrupt the page (the linker once rewrote the Markdown source)."""

import re

import pytest
from conftest import ROUTER, load_glossary

TERM = re.compile(r'<a class="glossary-term"[^>]*>')


@pytest.fixture
def glossary(tmp_path):
    glossary, problems = load_glossary(tmp_path, ROUTER)
    assert problems == []
    return glossary


def test_first_use_becomes_a_link_with_the_definition_as_title(glossary, convert):
    html = convert(glossary, "The router picks; the router again. Two shared experts.\n")
    assert html == ('<p>The <a class="glossary-term" href="glossary.md#router" title="The small network that picks the '
                    'experts for each token.">router</a> picks; the router again. Two <a class="glossary-term" '
                    'href="glossary.md#shared-expert" title="An expert every token passes through.">shared experts</a>.</p>')


def test_chinese_term_inside_chinese_text(glossary, convert):
    assert convert(glossary, "每层有一个路由器和共享专家。\n", lang="zh") == (
        '<p>每层有一个<a class="glossary-term" href="glossary.md#router" title="为每个 token 挑选专家的小网络。">路由器</a>'
        '和<a class="glossary-term" href="glossary.md#shared-expert" title="每个 token 都经过的专家。">共享专家</a>。</p>')


@pytest.mark.parametrize(
    "text",
    [
        "`the router` in code\n",
        "$\\text{router}$ in math\n",
        "See [the router](moe.md).\n",
        "See [the router][r].\n\n[r]: moe.md\n",
        "<span>the router</span>\n",
        'See <a href="moe.md">the *router*</a>.\n',
        "<div>\nthe router here\n</div>\n",
        "An <abbr\ntitle=\"the router\">R</abbr> here.\n",
        "Some text\n\n    the router in indented code\n",
        "```\nthe router\n```\n",
        "$$\n\\text{router}\n$$\n",
        "## The router { #x }\n",
        '!!! note "The router"\n\n    Body.\n',
        '??? note "The router"\n\n    Body.\n',
        '=== "The router"\n\n    Body.\n',
        "Text.[^1]\n\n[^1]: The router.\n",
        "![the router](x.png)\n",
        "A paragraph. { title=\"router\" }\n",
        "A paragraph.\n{ title=\"router\" }\n",
        "[A link](moe.md){ title=\"router\" }\n",
        "https://example.com/router/page and www.example.com/router\n",
        "Write to router@example.com.\n",
    ],
    ids=["code-span", "inline-math", "link-text", "reference-link-text", "inline-html", "raw-link", "html-block",
         "multi-line-html-tag", "indented-code", "fenced-code", "math-block", "heading", "admonition-title", "details-summary", "tab-label", "footnote", "image-alt",
         "attribute-list-as-text", "attribute-list", "inline-attribute-list", "url-text", "email-text"],
)
def test_no_link_where_a_term_is_not_prose(glossary, convert, text):
    plain = convert(glossary.__class__(glossary.path, []), text)
    assert convert(glossary, text) == plain


def test_multi_paragraph_definition_stays_in_the_title(tmp_path, convert):
    glossary, problems = load_glossary(tmp_path, ROUTER.replace(
        "  en_def: The small network that picks the experts for each token.\n",
        "  en_def: |\n    First paragraph with **bold**.\n\n    Second paragraph.\n"))
    assert problems == []
    html = convert(glossary, "- the router decides\n- second item\n")
    assert html == ('<ul>\n<li>the <a class="glossary-term" href="glossary.md#router" title="First paragraph with '
                    '**bold**.\n\nSecond paragraph.">router</a> decides</li>\n<li>second item</li>\n</ul>')


def test_pipe_and_html_in_a_definition_do_not_break_a_table(tmp_path, convert):
    glossary, _ = load_glossary(tmp_path, ROUTER.replace(
        "picks the experts for each token.", 'picks | the "experts" <b>per</b> token.'))
    html = convert(glossary, "| a | b |\n|---|---|\n| the router | x |\n")
    assert html.count("<td>") == 2
    assert ('<td>the <a class="glossary-term" href="glossary.md#router" title="The small network that picks | the '
            '&quot;experts&quot; &lt;b&gt;per&lt;/b&gt; token.">router</a></td>') in html


def test_term_in_a_table_cell_and_a_list_links_once(glossary, convert):
    html = convert(glossary, "| a |\n|---|\n| router |\n\n- the router\n")
    assert len(TERM.findall(html)) == 1 and "<td><a" in html


@pytest.mark.parametrize("opener", ["<span class=x>", "<b>", '<a href="moe.md">'], ids=["span", "b", "link"])
def test_an_unclosed_raw_tag_ends_with_its_paragraph(glossary, convert, opener):
    """A raw inline tag left open shields only the rest of its own block (as a browser closes it
    there), not every later paragraph of the page."""
    html = convert(glossary, f"An {opener}open tag, the router inside.\n\nLater the router and a shared expert.\n")
    assert html.count('class="glossary-term"') == 2
    assert '<p>Later the <a class="glossary-term" href="glossary.md#router"' in html
    assert '<a class="glossary-term"' not in html.split("</p>")[0]


def test_an_unclosed_raw_tag_in_a_list_item_ends_with_the_item(glossary, convert):
    html = convert(glossary, "- <span>open, the router\n- the router here\n")
    assert html.count('class="glossary-term"') == 1
    assert '<li>the <a class="glossary-term" href="glossary.md#router"' in html


def test_a_closed_raw_tag_across_emphasis_still_shields_its_content(glossary, convert):
    html = convert(glossary, "A <span>*the router*</span> and then the router.\n")
    assert html.count('class="glossary-term"') == 1
    assert "<em>the router</em>" in html
