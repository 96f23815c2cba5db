"""The parsed view reads this site's dialect as MkDocs renders it, with the right lines."""

import textwrap

from support import ROOT  # noqa: F401  (puts hooks/ on sys.path)

from r1docs.document import Document

PAGE = textwrap.dedent("""\
    ---
    title: front matter is not prose
    ---
    # Title { #top }

    See [ref][r], <a href="a.md#x">raw</a>, [angle](<b.md>) and `[not](c.md)`.

    <u>Under</u> 12 days; $585$ billion.[^1]

    - item with a heading below

        ## In a list { #in-list }

    !!! note "Admonition title"
        Text with [inside](d.md).

    === "C++"

        ```cpp title="x.cpp"
        delete P;
        ```

    | a | b |
    |---|---|
    | [cell](e.md) | 3 |

    Term
    :   Definition with [def](f.md).

    <div markdown>
    <img src="img/x.png" alt="">
    </div>

    $$
    x = 1
    $$

    ```mermaid
    flowchart LR
      A --> B
    ```

    [r]: r.md#q
    [^1]: A footnote with [foot](g.md).
    """)


def test_headings_with_ids_and_lines():
    doc = Document(PAGE)
    assert [(h.line, h.level, h.id) for h in doc.headings] == [(4, 1, "top"), (12, 2, "in-list")]


def test_links_of_every_form_and_none_in_code():
    doc = Document(PAGE)
    assert sorted((link.line, link.target, link.kind) for link in doc.links) == [
        (6, "a.md#x", "html"), (6, "b.md", "inline"), (6, "r.md#q", "reference"),
        (15, "d.md", "inline"), (25, "e.md", "inline"), (28, "f.md", "inline"),
        (31, "img/x.png", "html"), (44, "g.md", "inline"),
    ]


def test_code_math_diagrams_and_figure_text():
    doc = Document(PAGE)
    assert [(c.line, c.lang, c.text) for c in doc.code] == [(19, "cpp", "delete P;\n")]
    assert [(d.line, d.lang) for d in doc.diagram_blocks] == [(38, "mermaid")]
    assert [s.text for s in doc.block_math] == ["x = 1"]
    assert any(s.line == 8 and "12 days" in s.text and "585 billion" in s.text for s in doc.figure_text)
    assert doc.table_rows == [25]
    assert not any("front matter" in s.text for s in doc.prose)


def test_prose_columns_point_into_the_raw_line():
    doc = Document(PAGE)
    for segment in doc.prose:
        if segment.col >= 0:
            assert doc.lines[segment.line - 1][segment.col:].startswith(segment.text)


def test_sections_and_pending_mark():
    doc = Document("# T { #t }\n\nx\n\n## A { #a }\n\n<!-- translation: pending -->\n\ny\n\n## B\n")
    assert [(s.key, s.start, s.end, s.pending) for s in doc.sections] == [
        ("", 1, 0, False), ("#t", 1, 4, False), ("#a", 5, 10, True), ("§3:h2", 11, 12, False)]


def test_bom_and_unclosed_fence():
    doc = Document("\ufeff# T { #t }\n\n```python\nx = 1\n")
    assert doc.headings[0].id == "t"
    assert [(p.line, p.message) for p in doc.problems] == [
        (3, "opens a code block with '```' that is never closed: close it with '```'")]
