"""Bad math and diagrams: each is one finding naming the page's line; a slow diagram is stopped;
the Node renderer never outlives the build."""

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from support import ROOT

from r1docs import prerender

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")


@pytest.fixture
def renderer(tmp_path):
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    r = prerender.Renderer(tmp_path)
    yield r
    r.close()


def diagram_html(src: str) -> str:
    escaped = src.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<pre class="mermaid-source"><code>{escaped}</code></pre>'


PAGE = textwrap.dedent("""\
    # Page { #page }

    Text with $x^2$ and $\\href{javascript:alert(1)}{x}$.

    ```mermaid
    flowchart TD
      A --> B
      B -->
    ```

    $$
    \\frac{1}{
    $$
    """)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (diagram_html("flowchart TD\n  A --> B\n  B -->\n"),
         (8, "diagram 'flowchart TD A --> B B -->' that cannot be drawn: the statement 'B -->' is not understood "
             "(an edge with no target, or an unclosed shape?)")),
        ('<p><span class="arithmatex">\\(\\href{javascript:alert(1)}{x}\\)</span></p>',
         (3, "formula '\\href{javascript:alert(1)}{x}' that KaTeX cannot render: it uses '\\href', which the site "
             "does not allow in formulas (links and HTML are not math): remove it")),
        ('<div class="arithmatex">\\[\\frac{1}{\\]</div>',
         (12, "formula '\\frac{1}{' that KaTeX cannot render: KaTeX parse error: Unexpected end of input in a macro "
              "argument, expected '}' at end of input: \\frac{1}{")),
    ],
    ids=["edge-without-target", "untrusted-command", "parse-error"],
)
def test_error_names_the_page_line(renderer, html, expected):
    out, errors = prerender.prerender(html, renderer, PAGE)
    assert out == html  # left as source
    assert [(e.line, str(e)) for e in errors] == [expected]


@pytest.mark.parametrize(
    ("src", "line", "message"),
    [
        ("flowchart TD\n  B[[[ -->> ]\n", 2, "the statement 'B[[[ -->> ]' is not understood (an edge with no target, or an unclosed shape?)"),
        ("graph XY\n  A --> B\n", 1, "'graph XY' is not a flowchart header: write 'flowchart TD' or 'flowchart LR'"),
        ("flowchart LR\n  A --> B; C -->\n", 2, "the statement 'C -->' is not understood (an edge with no target, or an unclosed shape?)"),
        ("flowchart LR\n  A --> B\n  style A fill:url(http://example.com/x)\n", 3,
         "the statement 'style A fill:url(http://example.com/x)' uses url(…): a diagram loads nothing, use a colour"),
    ],
    ids=["unclosed-shape", "bad-direction", "second-statement-of-a-line", "external-url-in-style"],
)
def test_half_understood_flowchart_is_an_error(renderer, src, line, message):
    ok, out, source_line = renderer.render_with_line({"kind": "mermaid", "src": src})
    assert (ok, out, source_line) == (False, message, line)


def test_untrusted_commands_are_findings_not_red_text(renderer):
    for command in ("\\url{https://example.com}", "\\htmlClass{x}{y}", "\\includegraphics{a.png}"):
        ok, out = renderer.render({"kind": "math", "tex": command, "display": False})
        assert not ok and out.startswith("it uses '") and "which the site does not allow" in out


def test_the_real_diagrams_still_pass_the_statement_check(renderer):
    import re
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for m in re.finditer(r"^```mermaid\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M):
            ok, out = renderer.render({"kind": "mermaid", "src": m[1]})
            assert ok, f"{page}: {out}"


def dense_flowchart(nodes: int = 200, edges: int = 2000) -> str:
    rng = random.Random(1)
    return "flowchart TD\n" + "".join(f"  N{rng.randrange(nodes)} --> N{rng.randrange(nodes)}\n" for _ in range(edges))


def test_a_diagram_that_takes_too_long_is_stopped_and_named(tmp_path):
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    renderer = prerender.Renderer(tmp_path, time_limit=1.5)
    assert renderer.render({"kind": "math", "tex": "x", "display": False})[0]  # started: the limit is 1.5 s now
    source = "# Page { #page }\n\n```mermaid\n" + dense_flowchart() + "```\n"
    started = time.monotonic()
    _, errors = prerender.prerender(diagram_html(dense_flowchart()), renderer, source)
    assert time.monotonic() - started < 10
    assert [(e.line, str(e)) for e in errors] == [
        (3, "diagram 'flowchart TD N34 --> N145 N195 --> N16 …' that cannot be drawn: it took longer than 1.5 s "
            "(the renderer was stopped): simplify it or split it")]
    assert renderer._proc is None  # stopped; the next request starts a fresh one
    assert renderer.render({"kind": "math", "tex": "y", "display": False})[0]
    renderer.close()


CHILD = """
import sys, time
sys.path.insert(0, {hooks!r})
from r1docs import prerender
from pathlib import Path
r = prerender.Renderer(Path({root!r}), time_limit=600)
r.render({{"kind": "math", "tex": "x", "display": False}})
print(r._proc.pid, flush=True)
r.render({{"kind": "mermaid", "src": {src!r}}})  # busy for minutes
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_node_dies_with_the_build(tmp_path, how):
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    code = CHILD.format(hooks=str(ROOT / "hooks"), root=str(tmp_path), src=dense_flowchart(400, 1200))
    build = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    node = int(build.stdout.readline())
    time.sleep(0.5)
    build.send_signal(how)
    build.wait(timeout=10)
    for _ in range(50):
        try:
            os.kill(node, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(node, signal.SIGKILL)
        pytest.fail(f"the Node renderer outlived the build ({how.name})")


FAKE_RENDERERS = {
    "stray-output": """
        import readline from 'node:readline'
        readline.createInterface({ input: process.stdin }).on('line', (line) => {
          const req = JSON.parse(line)
          process.stdout.write('a library talking\\n' + JSON.stringify({ id: 999, ok: true, html: 'not yours' }) + '\\n')
          process.stdout.write(JSON.stringify({ id: req.id, ok: true, html: 'yours' }) + '\\n')
        })""",
    "crash": "process.exit(3)",
}


@pytest.mark.parametrize(("script", "expected"), [
    ("stray-output", (True, "yours")),
    ("crash", (False, "the renderer exited (code 3) while rendering it")),
], ids=list(FAKE_RENDERERS))
def test_renderer_protocol_faults(tmp_path, monkeypatch, script, expected):
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    fake = tmp_path / "fake.mjs"
    fake.write_text(textwrap.dedent(FAKE_RENDERERS[script]), encoding="utf-8")
    monkeypatch.setattr(prerender, "SCRIPT", fake)
    renderer = prerender.Renderer(tmp_path)
    assert renderer.render({"kind": "math", "tex": "x", "display": False}) == expected
    renderer.close()


def test_formula_in_a_heading_is_one_finding(renderer):
    source = "# Page { #page }\n\n## Loss $\\frac{1}{$ { #loss }\n"
    broken = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'
    html = f'<h2 id="loss">Loss {broken}</h2><nav><a href="#loss">Loss {broken}</a></nav>'  # the contents repeat it
    _, errors = prerender.prerender(html, renderer, source)
    assert [e.line for e in errors] == [3]
