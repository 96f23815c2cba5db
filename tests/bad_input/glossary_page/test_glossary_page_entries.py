"""The glossary page is written from the data as elements: a definition is text, never HTML."""

import re

from conftest import ROUTER, load_glossary

GOOD = """
- id: moe
  zh: 混合专家
  en: mixture of experts
  abbr: MoE
  zh_def: 每个 token 只激活部分专家的架构。
  en_def: An architecture that activates only some experts per token.
  page: moe.md#moe
- id: moe-model
  zh: 混合专家模型
  en: mixture-of-experts model
  zh_def: 采用混合专家架构的模型。
  en_def: A model built from mixture-of-experts layers.
  page: moe.md
- id: shared-expert
  zh: 共享专家
  en: shared expert
  zh_def: 每个 token 都经过的专家。
  en_def: An expert every token passes through.
  page: moe.md#moe
"""


def test_entries_sorted_per_language_with_anchors_and_topic_links(tmp_path, convert):
    glossary, _ = load_glossary(tmp_path, GOOD)
    zh = convert(glossary, "# 术语表 { #glossary }\n", lang="zh", glossary_page=True, titles={"moe.md": "混合专家"})
    en = convert(glossary, "# Glossary { #glossary }\n", lang="en", glossary_page=True, titles={"moe.md": "Mixture of experts"})
    assert re.findall(r"<h2[^>]*>.*?</h2>", zh) == [
        '<h2 id="shared-expert">共享专家<a class="headerlink" href="#shared-expert" title="Permanent link">&para;</a></h2>',
        '<h2 id="moe">混合专家（MoE）<a class="headerlink" href="#moe" title="Permanent link">&para;</a></h2>',
        '<h2 id="moe-model">混合专家模型<a class="headerlink" href="#moe-model" title="Permanent link">&para;</a></h2>']
    assert [h for h in re.findall(r'<h2 id="([^"]+)"', en)] == ["moe", "moe-model", "shared-expert"]
    assert ('<h2 id="moe">mixture of experts (MoE)<a class="headerlink" href="#moe" title="Permanent link">&para;</a></h2>\n'
            '<p><em>混合专家</em></p>\n<p>An architecture that activates only some experts per token.</p>\n'
            '<p>Explained in: <a href="moe.md#moe">Mixture of experts</a></p>') in en
    assert "<p>详见: <a href=\"moe.md#moe\">混合专家</a></p>" in zh


def test_html_and_script_in_a_definition_are_shown_as_text(tmp_path, convert):
    hostile = 'x"><script>alert(1)</script><img src=x onerror=alert(2)> [c](javascript:alert(3)) <think>'
    glossary, problems = load_glossary(tmp_path, ROUTER.replace(
        "  en_def: The small network that picks the experts for each token.\n", f"  en_def: '{hostile}'\n"))
    assert problems == []
    html = convert(glossary, "# Glossary { #glossary }\n", glossary_page=True)
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.replace("[c](javascript:", "")
    assert ('<p>x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; '
            '[c](javascript:alert(3)) &lt;think&gt;</p>') in html.replace('x"&gt;', 'x&quot;&gt;')


def test_markdown_and_html_in_a_term_stay_in_its_heading(tmp_path, convert):
    glossary, problems = load_glossary(tmp_path, ROUTER.replace("  en: router\n", "  en: 'router {#evil} <b>x</b> *y*'\n"))
    assert problems == []
    html = convert(glossary, "# Glossary { #glossary }\n", glossary_page=True)
    assert '<h2 id="router">router {#evil} &lt;b&gt;x&lt;/b&gt; *y*<a class="headerlink"' in html


def test_multi_paragraph_definition_is_two_paragraphs(tmp_path, convert):
    glossary, _ = load_glossary(tmp_path, ROUTER.replace(
        "  en_def: The small network that picks the experts for each token.\n",
        "  en_def: |\n    First paragraph.\n\n    Second\n    paragraph.\n"))
    html = convert(glossary, "# Glossary { #glossary }\n", glossary_page=True)
    assert "<p>First paragraph.</p>\n<p>Second paragraph.</p>" in html
