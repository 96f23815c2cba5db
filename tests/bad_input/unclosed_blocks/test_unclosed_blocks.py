"""An unclosed fence or `$$`: one finding naming the opener's line, and none of what follows from it
(MkDocs' warnings for the anchors it swallowed, glossary targets, sync state, diagrams in it)."""

import textwrap

import pytest
from support import build, warnings

from r1docs import structure
from r1docs.document import Document
from r1docs.model import Page

SWALLOWING = textwrap.dedent("""\
    # Title { #top }

    ```python
    x = 1

    ## Later { #later }

    Text.

    ```text
    y
    ```
    """)


def findings(text: str) -> list[str]:
    page = Page("en/a.md", text)
    return [str(f) for f in structure.check_page(page, Document(text), ["zh", "en"])]


def test_a_fence_left_open_until_the_next_one_names_its_opener():
    assert findings(SWALLOWING) == [
        "Doc file 'en/a.md' (line 3) opens a code block with '```' that is never closed before line 10, where "
        "'```text' opens another: close the first with '```'."]


@pytest.mark.parametrize("text", [
    "````markdown\n```python\nx = 1\n```\n````\n",  # a longer outer fence shows fences on purpose
    "~~~markdown\n```python\nx = 1\n```\n~~~\n",  # so does the other fence character
    "```text\nthe end: ```\n```\n",  # a fence mark inside a line opens nothing
], ids=["longer-outer-fence", "tilde-outer-fence", "inline-backticks"])
def test_fences_shown_on_purpose_are_no_finding(text):
    assert findings(text) == []


@pytest.mark.build
@pytest.mark.parametrize("opener, message", [
    ("```python\nx = 1\n", "opens a code block with '```' that is never closed before line {inner}, where '```text' "
                           "opens another: close the first with '```'."),
    ("```python\nx = 1\n\n```mermaid\nflowchart TD\n  A --> B\n```\n\n",
     "opens a code block with '```' that is never closed before line {mermaid}, where '```mermaid' opens another: "
     "close the first with '```'."),
], ids=["fence", "fence-before-a-diagram"])
def test_one_finding_and_no_knock_on_in_a_build(small_site, opener, message):
    rest = "\n## Later { #later }\n\nThe router.\n\n```text\ny\n```\n"
    for lang in ("zh", "en"):
        page = small_site / "docs" / lang / "index.md"
        text = page.read_text(encoding="utf-8")
        start = text.count("\n") + 2
        page.write_text(text + "\n" + opener + rest, encoding="utf-8")
        moe = small_site / "docs" / lang / "moe.md"
        moe.write_text(moe.read_text(encoding="utf-8") + "\nSee [later](index.md#later).\n", encoding="utf-8")
    lines = (text + "\n" + opener + rest).split("\n")
    inner = next(n for n, line in enumerate(lines, 1) if n > start and line.startswith("```") and line != "```")
    # The glossary's topic anchor on the swallowed page is not reported either.
    glossary = small_site / "data" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("page: moe.md#moe", "page: index.md#later"),
                        encoding="utf-8")
    result = build(small_site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    expected = message.format(inner=inner, mermaid=inner)
    assert warnings(result) == [f"WARNING -  r1docs: Doc file '{lang}/index.md' (line {start}) {expected}"
                                for lang in ("en", "zh")]
    assert result.stdout.strip().splitlines()[-1] == "Aborted with 2 warnings in strict mode!"
