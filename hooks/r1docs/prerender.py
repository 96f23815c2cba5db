"""Turn math and Mermaid sources in rendered page HTML into static markup at build time.

Readers get KaTeX HTML and inline SVG: no JavaScript, no CDN, and the PDF gets both for free.
One Node process (prerender.mjs) serves every page of every language pass, started only when
an answer is not cached yet. Answers are cached in memory (a formula used in both languages is
rendered once) and on disk (`.cache/prerender.json`, keyed by the renderers' versions), so a
rebuild of unchanged sources starts no Node process at all.
"""

from __future__ import annotations

import hashlib
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
    r"""<(?P<tag>span|div)\ class="arithmatex"(?:\ data-search-exclude)?>\s*
        \\(?P<open>[(\[])(?P<tex>.*?)\\[)\]]\s*
        </(?P=tag)>""",
    re.S | re.X,
)
# pymdownx.superfences custom fence `mermaid` with class `mermaid-source`.
MERMAID = re.compile(r'<pre class="mermaid-source"(?: data-search-exclude)?><code>(?P<src>.*?)</code></pre>', re.S)
SOURCES = re.compile(r'<(span|div|pre) class="(arithmatex|mermaid-source)">')
SVG_ID = re.compile(r'\bid="([^"]+)"')
TAG = re.compile(r"<[^>]+>")


class RendererUnavailable(Exception):
    """Node or the renderer packages are missing: the message says what to install."""


@dataclass
class Renderer:
    """A lazily started Node process that renders one request per line, with a disk cache."""

    root: Path
    _proc: subprocess.Popen | None = field(default=None, repr=False)
    _cache: dict[str, list] = field(default_factory=dict, repr=False)
    _dirty: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        try:
            stored = json.loads(self.cache_file.read_text(encoding="utf-8"))
            if stored.get("version") == self.version:
                self._cache = stored["answers"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no cache yet, or an unreadable one: it is rebuilt

    @property
    def cache_file(self) -> Path:
        return self.root / ".cache" / "prerender.json"

    @property
    def version(self) -> str:
        """Changes when the renderer script or any locked Node package changes."""
        digest = hashlib.sha256(SCRIPT.read_bytes())
        lock = self.root / "package-lock.json"
        if lock.exists():
            digest.update(lock.read_bytes())
        return digest.hexdigest()[:16]

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
        line = json.dumps(request, ensure_ascii=False, sort_keys=True)
        key = hashlib.sha256(line.encode("utf-8")).hexdigest()
        if key not in self._cache:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            self._proc.stdin.write(line + "\n")
            self._proc.stdin.flush()
            answer = json.loads(self._proc.stdout.readline() or '{"ok": false, "error": "renderer exited"}')
            self._cache[key] = [answer["ok"], answer.get("html") or answer.get("error", "")]
            self._dirty = True
        ok, out = self._cache[key]
        return ok, out

    def math_characters(self) -> str:
        """Every character any rendered formula shows: what the KaTeX fonts must keep."""
        characters = set(" 0123456789")
        for ok, out in self._cache.values():
            if ok and 'class="katex' in out:
                characters.update(html.unescape(TAG.sub("", out)))
        return "".join(sorted(characters))

    def save(self) -> None:
        """Write the answers to the disk cache (errors are not worth keeping)."""
        if not self._dirty:
            return
        answers = {k: v for k, v in self._cache.items() if v[0]}
        try:
            self.cache_file.parent.mkdir(exist_ok=True)
            self.cache_file.write_text(json.dumps({"version": self.version, "answers": answers}, ensure_ascii=False), encoding="utf-8")
            self._dirty = False
        except OSError:
            pass  # a read-only checkout still builds, only without the cache

    def close(self) -> None:
        self.save()
        if self._proc is not None:
            self._proc.stdin.close()
            self._proc.wait(timeout=10)
            self._proc = None


def has_math(page_html: str) -> bool:
    return 'class="arithmatex"' in page_html


def exclude_sources_from_search(page_html: str) -> str:
    """Mark math and diagram sources so the search index skips them (they are rendered later,
    in the finished page, so the search plugin never parses KaTeX's glyph spans or SVG)."""
    return SOURCES.sub(r'<\1 class="\2" data-search-exclude>', page_html)


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
        # Out of the search index: KaTeX repeats each formula as MathML, TeX and glyph spans.
        return f'<div class="math" data-search-exclude>{out}</div>' if display else f"<span data-search-exclude>{out}</span>"

    def diagram(m: re.Match) -> str:
        src = html.unescape(m["src"])
        ok, out = renderer.render({"kind": "mermaid", "src": src})
        if not ok:
            errors.append(f"diagram '{_short(src)}' cannot be rendered: {out}")
            return m[0]
        number = diagram.count = getattr(diagram, "count", 0) + 1
        return f'<figure class="diagram" data-search-exclude>{_scope_ids(out, f"d{number}-")}</figure>'

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
