"""The reader's notice on a section marked `<!-- translation: pending -->`.

A Python-Markdown extension: after the headings have their ids (toc), it finds the mark among
the stashed raw HTML of the parsed page and puts a short notice, in the page's language, right
after it, linking the same section in the other language. It works on the element tree, so
code, tables and the mark's own position are left as they are; the PDF books, assembled from
the built pages, carry the notice too.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from .document import PENDING

LANGUAGE_NAMES = {
    "zh": {"zh": "中文", "en": "英文"},
    "en": {"zh": "Chinese", "en": "English"},
}
TEXT = {
    "zh": ("本节的译文尚未跟上{other}原文的最近修改。", "阅读本节的{other}版本"),
    "en": ("This section has not yet caught up with recent changes to the {other} version.",
           "Read this section in {other}"),
}


@dataclass
class PageContext:
    """What the notice needs to know of the page being rendered (set by the hook)."""

    lang: str = "en"
    other_lang: str = "zh"
    counterpart_url: str = ""  # the same page in the other language, relative to this page


CURRENT = PageContext()


def notice_element(context: PageContext, anchor: str) -> etree.Element:
    names = LANGUAGE_NAMES.get(context.lang, LANGUAGE_NAMES["en"])
    other = names.get(context.other_lang, context.other_lang)
    sentence, link_text = TEXT.get(context.lang, TEXT["en"])
    box = etree.Element("div", {"class": "admonition info translation-pending", "lang": context.lang})
    paragraph = etree.SubElement(box, "p")
    paragraph.text = sentence.format(other=other) + " "
    link = etree.SubElement(paragraph, "a", {"href": f"{context.counterpart_url}#{anchor}" if anchor else context.counterpart_url,
                                             "hreflang": context.other_lang})
    link.text = link_text.format(other=other)
    return box


class PendingTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        marks = {i for i, block in enumerate(self.md.htmlStash.rawHtmlBlocks)
                 if isinstance(block, str) and PENDING.search(block)}
        if not marks:
            return
        anchor = ""
        children = list(root)
        for position, child in enumerate(children):
            if re.fullmatch(r"h[1-6]", child.tag or ""):
                anchor = child.get("id", "")
                continue
            text = (child.text or "").strip() if child.tag == "p" and len(child) == 0 else ""
            m = HTML_PLACEHOLDER_RE.fullmatch(text) if text else None
            if m and int(m.group(1)) in marks:
                root.insert(list(root).index(child) + 1, notice_element(CURRENT, anchor))


class PendingNoticeExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # Priority -1: after `toc` (5) has given every heading its id, and after MkDocs' own
        # link rewriting (0), which would take the built URL of the other language for a
        # broken link to a Markdown file (each language is validated alone).
        md.treeprocessors.register(PendingTreeprocessor(md), "r1docs-pending", -1)
