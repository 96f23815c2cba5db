"""Cross-language structure: pages, nav, heading ids, cross-tree links, link graph."""

import pytest
from support import pages

from r1docs import checks, parity
from r1docs.settings import HOUSE

LANGS = ("zh", "en")


def findings(tree: dict[str, str], **kwargs) -> list[str]:
    kwargs.setdefault("settings", HOUSE)
    return [f.message for f in checks.check_site(pages(tree), LANGS, **kwargs)]


def test_clean_pair_has_no_findings():
    assert findings({
        "zh/a.md": "# 甲 { #a }\n\n## 路由 { #routing }\n\n见 [乙](b.md#x)。\n",
        "en/a.md": "# A { #a }\n\n## Routing { #routing }\n\nSee [B](b.md#x).\n",
        "zh/b.md": "# 乙 { #b }\n\n## 某节 { #x }\n",
        "en/b.md": "# B { #b }\n\n## Some { #x }\n",
    }) == []


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n", "en/a.md": "# A { #a }\n", "zh/b.md": "# 乙 { #b }\n"},
            "Doc file 'en/b.md' is missing: its counterpart 'zh/b.md' exists. Translate it, or remove both.",
            id="page-missing",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n## 路由\n", "en/a.md": "# A { #a }\n"},
            "Doc file 'zh/a.md' (line 3) has a heading without an explicit id: add '{ #some-id }', the same in every language.",
            id="heading-without-id",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n## 路由 { #routing }\n", "en/a.md": "# A { #a }\n"},
            "Doc file 'en/a.md' has no heading id '#routing', which its counterpart 'zh/a.md' (line 3) has.",
            id="heading-id-missing",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n## 一 { #one }\n\n## 二 { #two }\n",
             "en/a.md": "# A { #a }\n\n## Two { #two }\n\n## One { #one }\n"},
            "Doc file 'en/a.md' (line 3) has heading id '#two' where its counterpart 'zh/a.md' (line 3) has '#one': put the headings in the same order.",
            id="heading-order",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n## 一 { #one }\n", "en/a.md": "# A { #a }\n\n### One { #one }\n"},
            "Doc file 'en/a.md' (line 3) has heading '#one' at level 3, but its counterpart 'zh/a.md' (line 3) has it at level 2.",
            id="heading-level",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n见 [英文](../en/a.md)。\n", "en/a.md": "# A { #a }\n"},
            "Doc file 'zh/a.md' (line 3) contains a link '../en/a.md' that leaves the 'zh' tree: link to the page in the same language; the language switcher leads readers to the other one.",
            id="cross-tree-md",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n", "en/a.md": "# A { #a }\n\nSee [zh](../a/).\n"},
            "Doc file 'en/a.md' (line 3) contains a link '../a/' that leaves the 'en' tree: link to the page in the same language; the language switcher leads readers to the other one.",
            id="cross-tree-directory-url",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n见 [英文](/en/a/)。\n", "en/a.md": "# A { #a }\n"},
            "Doc file 'zh/a.md' (line 3) contains a link '/en/a/' that leaves the 'zh' tree: link to the page in the same language; the language switcher leads readers to the other one.",
            id="cross-tree-absolute",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n见 [英文](https://example.org/r1/en/a/)。\n", "en/a.md": "# A { #a }\n"},
            "Doc file 'zh/a.md' (line 3) contains a link 'https://example.org/r1/en/a/' that leaves the 'zh' tree: link to the page in the same language; the language switcher leads readers to the other one.",
            id="cross-tree-site-url",
        ),
        pytest.param(
            {"zh/a.md": "# 甲 { #a }\n\n见 [乙](b.md#x)。\n", "en/a.md": "# A { #a }\n\nSee [B](b.md).\n",
             "zh/b.md": "# 乙 { #b }\n", "en/b.md": "# B { #b }\n"},
            "Doc file 'zh/a.md' (line 3) links to 'b.md#x', but its counterpart 'en/a.md' has no such link: add it there or remove it here.",
            id="link-only-in-one-language",
        ),
    ],
)
def test_fault_is_reported(tree, expected):
    assert expected in findings(tree, site_url="https://example.org/r1/")


def test_links_inside_code_are_not_links():
    assert findings({"zh/a.md": "# 甲 { #a }\n\n```\n[x](../en/a.md)\n```\n", "en/a.md": "# A { #a }\n\n```\n[x](../en/a.md)\n```\n"}) == []


@pytest.mark.parametrize(
    ("navs", "expected"),
    [
        ({"zh": ["index.md", "a.md"], "en": ["index.md"]},
         "Nav entry 'a.md' of language 'zh' is missing from the nav of language 'en': give both navs the same pages in the same order."),
        ({"zh": ["index.md"], "en": ["index.md", "b.md"]},
         "Nav entry 'b.md' of language 'en' is missing from the nav of language 'zh'."),
        ({"zh": ["a.md", "b.md"], "en": ["b.md", "a.md"]},
         "Nav entry 'b.md' of language 'zh' is at another position in the nav of language 'en': give both navs the same pages in the same order."),
    ],
    ids=["missing-in-en", "missing-in-zh", "order"],
)
def test_nav_parity(navs, expected):
    assert expected in [f.message for f in parity.check_nav(navs)]


def test_flatten_nav_reads_sections():
    assert checks.flatten_nav([{"首页": "index.md"}, {"架构": [{"MoE": "moe.md"}, "mla.md"]}]) == ["index.md", "moe.md", "mla.md"]
