"""Figure parity: notation-independent comparison of the numbers on a page pair."""

import pytest
from support import pages

from r1docs import figures
from r1docs.document import Document


def keys(text: str) -> set[str]:
    return set(figures.figures([(1, text)]))


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("6710 亿参数", "671B parameters"),
        ("278.8 万 GPU 小时", "2,788K GPU hours"),
        ("557.6 万美元", "$5.576 million"),
        ("14.8 万亿 token", "14.8T tokens"),
        ("约 80 万条样本", "about 800k samples"),
        ("７９.８％", "79.8%"),
        ("2,048 块", "2048 GPUs"),
    ],
    ids=["yi-vs-B", "wan-vs-K-with-separator", "wan-vs-million", "wanyi-vs-T", "wan-vs-k", "fullwidth-percent", "separator"],
)
def test_notations_of_one_figure_agree(zh, en):
    assert keys(zh) == keys(en)


@pytest.mark.parametrize(
    "text",
    ["第 3 阶段", "2025 年 1 月", "DeepSeek-V3", "H800", "GPT-4o", "see #section-12", "o1-1217"],
    ids=["small-integer", "year", "model-version", "gpu-name", "model-name", "anchor", "model-date"],
)
def test_ignored_by_rule(text):
    assert keys(text) == set()


def test_percent_is_not_a_plain_number():
    assert keys("79.8%") != keys("79.8")


def pair(zh: str, en: str):
    a, b = pages({"zh/x.md": zh, "en/x.md": en})
    return figures.check_figures(a, Document(a.text), b, Document(b.text))


def test_missing_figure_is_reported_with_its_line():
    findings = pair("# 标题 { #t }\n\n激活 370 亿参数。\n", "# Title { #t }\n\nActivates 37B parameters.\n\nTotal 671B.\n")
    assert [(f.file, f.line, f.message) for f in findings] == [(
        "en/x.md", 5,
        "Doc file 'en/x.md' (line 5) states the figure '671B', which its counterpart 'zh/x.md' does not: "
        "state the same figure in both languages.",
    )]


def test_different_figure_is_reported_on_both_sides():
    findings = pair("得分 79.8%。", "Scores 79.9%.")
    assert sorted(f.message.split(" states ")[1].split(",")[0] for f in findings) == ["the figure '79.8%'", "the figure '79.9%'"]


def test_figures_in_tables_math_and_diagrams_count():
    zh = "| 模型 | 分数 |\n|---|---|\n| R1 | 97.3 |\n\n$$\nx = 0.95\n$$\n\n```mermaid\ngraph LR\n  A[256 个专家]\n```\n"
    en = "| Model | Score |\n|---|---|\n| R1 | 97.3 |\n"
    messages = [f.message for f in pair(zh, en)]
    assert any("'0.95'" in m for m in messages) and any("'256'" in m for m in messages)


def test_code_and_link_targets_do_not_count():
    assert pair("`batch = 4096`，见 [R1 表 4](references.md#r1-2025)。", "See [R1 Table 4](references.md#r1-2025).") == []


def test_visible_exception_comment():
    zh = "<!-- figure-parity: ignore 1.5 -->\n比例约 1.5。\n"
    assert pair(zh, "No figure here.") == []


def test_fullwidth_comma_is_punctuation_not_a_thousands_separator():
    # '$1536 \times 512$，128 个头' is two figures (512 and 128), never 512,128.
    assert keys("每个头 1536 × 512，128 个头") == keys("1536 × 512 for each head, 128 heads")


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([(1, "共 5"), (2, "万人")], {}),                                # a unit never joins the next text (5万)
        ([(1, "see https://x.io/a"), (2, "12.5%")], {"12.5%": 2}),       # nor does a URL swallow it
        ([(1, "V"), (2, "3.5 days")], {"3.5": 2}),                       # nor a name before it
        ([(1, "１２.５％ 的"), (2, "两万")], {"12.5%": 1, "20000": 2}),   # NFKC changes lengths
        ([(3, "20000 与两万"), (4, "20000")], {"20000": 3}),             # first line, digits first
        ([(1, "a\x00 7.5"), (2, "8.5")], {"7.5": 1, "8.5": 2}),
    ],
    ids=["unit", "url", "name", "nfkc", "first-line", "nul"],
)
def test_texts_are_read_each_on_its_own(texts, expected):
    found = figures.figures(texts)
    assert {k: line for k, (line, _) in found.items()} == expected
    for key in found:  # the same as reading each text alone and keeping the first
        alone = next(figures.figures([t])[key] for t in texts if key in figures.figures([t]))
        assert found[key] == alone
