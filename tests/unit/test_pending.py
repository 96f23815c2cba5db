"""The notice a reader of a stale language sees on a section marked pending."""

import markdown
from support import ROOT  # noqa: F401  (puts hooks/ on sys.path)

from r1docs import pending


def render(text: str, context: pending.PageContext) -> str:
    pending.CURRENT = context
    md = markdown.Markdown(extensions=["attr_list", "toc", "admonition", "md_in_html", "fenced_code", pending.PendingNoticeExtension()])
    return md.convert(text)


def test_notice_follows_the_mark_and_links_the_same_section():
    html = render("# T { #t }\n\n## Routing { #routing }\n\n<!-- translation: pending -->\n\nText.\n\n## Other { #other }\n\nx\n",
                  pending.PageContext("en", "zh", "../../moe/"))
    assert ('<!-- translation: pending -->\n\n<div class="admonition info translation-pending" lang="en"><p>This section has '
            'not yet caught up with recent changes to the Chinese version. <a href="../../moe/#routing" hreflang="zh">'
            'Read this section in Chinese</a></p></div><p>Text.</p>') in html
    assert html.count("translation-pending") == 1


def test_notice_in_chinese():
    html = render("## 路由 { #routing }\n\n<!-- translation: pending -->\n", pending.PageContext("zh", "en", "../en/moe/"))
    assert '本节的译文尚未跟上英文原文的最近修改。 <a href="../en/moe/#routing" hreflang="en">阅读本节的英文版本</a>' in html


def test_no_mark_no_notice():
    assert "translation-pending" not in render("## A { #a }\n\n<!-- other comment -->\n\n```\n<!-- translation: pending -->\n```\n",
                                               pending.PageContext())
