"""Turn math and Mermaid sources in rendered page HTML into static markup at build time.

Readers get KaTeX HTML and inline SVG: no JavaScript, no CDN, and the PDF gets both for free.
One Node process (prerender.mjs) serves every page of every language pass; answers are cached,
so a formula that appears in both languages is rendered once.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).with_name("prerender.mjs")

# pymdownx.arithmatex (generic mode) output: \( \) inline in a span, \[ \] display in a div.
MATH = re.compile(
    r"""<(?P<tag>span|div)\ class="arithmatex">\s*
        \\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]\s*
        </(?P=tag)>""",
    re.S | re.X,
)
# pymdownx.superfences custom fence `mermaid` with class `mermaid-source`.
MERMAID = re.compile(r'<pre class="mermaid-source"><code>(?P<src>.*?)</code></pre>', re.S)
SVG_ID = re.compile(r'\bid="([^"]+)"')


class RendererUnavailable(Exception):
    """Node or the renderer packages are missing: the message says what to install."""


@dataclass
class Renderer:
    """A lazily started Node process that renders one request per line."""

    root: Path
    _proc: subprocess.Popen | None = field(default=None, repr=False)
    _cache: dict[tuple, tuple[bool, str]] = field(default_factory=dict, repr=False)

    def _start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise RendererUnavailable("Node.js is not installed: install it (Debian: apt-get install nodejs npm).")
        if not (self.root / "node_modules" / "katex").is_dir():
            raise RendererUnavailable(f"The renderers are not installed in '{self.root}': run 'npm ci' there.")
        return subprocess.Popen(
            [node, str(SCRIPT)], cwd=self.root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )

    def render(self, request: dict) -> tuple[bool, str]:
        """Return (ok, html-or-error) for one request; cached by its content."""
        key = tuple(sorted(request.items()))
        if key not in self._cache:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            self._proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self._proc.stdin.flush()
            answer = json.loads(self._proc.stdout.readline() or '{"ok": false, "error": "renderer exited"}')
            self._cache[key] = (answer["ok"], answer.get("html") or answer.get("error", ""))
        return self._cache[key]

    def close(self) -> None:
        if self._proc is not None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)
            self._proc = None


def prerender(page_html: str, renderer: Renderer) -> tuple[str, list[str]]:
    """Replace math and diagram sources in `page_html`; return the new HTML and the errors."""
    errors: list[str] = []

    def math(m: re.Match) -> str:
        tex = html.unescape(m["tex"]).strip()
        display = m["open"] == "["
        ok, out = renderer.render({"kind": "math", "tex": tex, "display": display})
        if not ok:
            errors.append(f"formula '{_short(tex)}' cannot be rendered by KaTeX: {out}")
            return m[0]
        return f'<div class="math">{out}</div>' if display else out

    def diagram(m: re.Match) -> str:
        src = html.unescape(m["src"])
        ok, out = renderer.render({"kind": "mermaid", "src": src})
        if not ok:
            errors.append(f"diagram '{_short(src)}' cannot be rendered: {out}")
            return m[0]
        number = diagram.count = getattr(diagram, "count", 0) + 1
        return f'<figure class="diagram">{_scope_ids(out, f"d{number}-")}</figure>'

    page_html = MATH.sub(math, page_html)
    page_html = MERMAID.sub(diagram, page_html)
    return page_html, errors


def _scope_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an inline SVG so two diagrams on one page do not share ids."""
    ids = set(SVG_ID.findall(svg))
    for ident in ids:
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}{ident}"').replace(f"#{ident})", f"#{prefix}{ident})")
    return svg


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
