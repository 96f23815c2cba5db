"""Turn math and Mermaid sources in rendered page HTML into static markup at build time.

Readers get KaTeX HTML and inline SVG: no JavaScript, no CDN, and the PDF gets both for free.
One Node process (prerender.mjs) serves every page of every language pass, started only when
an answer is not cached yet. Answers are cached in memory (a formula used in both languages is
rendered once) and on disk (`.cache/prerender.json`, keyed by the renderers' versions), so a
rebuild of unchanged sources starts no Node process at all. Every request has a time limit,
the Node process dies with the build, and an error names the page line it comes from.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
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


# A formula or diagram that takes longer than this is a finding, not a hung build (a dense
# flowchart can keep the layout engine busy for minutes; the site's own take milliseconds).
TIME_LIMIT = 20.0
# Starting Node and loading both renderers takes a second or two on a loaded machine: the first
# request of a process gets this much more.
START_ALLOWANCE = 15.0


class RendererUnavailable(Exception):
    """Node or the renderer packages are missing: the message says what to install."""


@dataclass(frozen=True)
class RenderError:
    """A formula or diagram that could not be rendered; `line` is the page's line once known."""

    kind: str  # 'math' or 'mermaid'
    source: str
    message: str
    source_line: int | None = None  # the line inside the formula or diagram, when known
    line: int | None = None

    def __str__(self) -> str:
        if self.kind == "math":
            return f"formula '{_short(self.source)}' that KaTeX cannot render: {self.message}"
        return f"diagram '{_short(self.source)}' that cannot be drawn: {self.message}"


def _die_with_parent() -> None:
    """In the Node child, before exec: be killed when the build process dies, however it ends
    (SIGKILL included, which leaves no chance to clean up)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the renderer still exits when its stdin closes


@dataclass
class Renderer:
    """A lazily started Node process that renders one request per line, with a disk cache."""

    root: Path
    time_limit: float = TIME_LIMIT
    _proc: subprocess.Popen | None = field(default=None, repr=False)
    _answers: queue.Queue | None = field(default=None, repr=False)
    _fresh: bool = field(default=False, repr=False)
    _asked: int = field(default=0, repr=False)
    _cache: dict[str, list] = field(default_factory=dict, repr=False)
    _used: set[str] = field(default_factory=set, repr=False)
    _dirty: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self._cache = self._read_cache()

    def _read_cache(self) -> dict[str, list]:
        """The stored answers, if the file has the expected shape and version; else none (a
        cache is only ever an optimisation: a damaged one is ignored, then overwritten)."""
        try:
            stored = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != self.version or not isinstance(stored.get("answers"), dict):
            return {}
        return {k: v for k, v in stored["answers"].items()
                if isinstance(v, list) and len(v) == 2 and v[0] is True and isinstance(v[1], str)}

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

    def begin_build(self) -> None:
        """A new build starts: what it renders alone decides the font subsets and the cache."""
        self._used = set()

    def _start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise RendererUnavailable("Node.js is not installed: install it (Debian: apt-get install nodejs npm).")
        if not (self.root / "node_modules" / "katex").is_dir():
            raise RendererUnavailable(f"The renderers are not installed in '{self.root}': run 'npm ci' there.")
        proc = subprocess.Popen(
            [node, str(SCRIPT)], cwd=self.root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        answers: queue.Queue = queue.Queue()

        def read() -> None:  # answers arrive on a thread, so that waiting for one can time out
            for line in proc.stdout:
                answers.put(line)
            answers.put(None)

        threading.Thread(target=read, name="r1docs-renderer", daemon=True).start()
        self._answers = answers
        self._fresh = True
        return proc

    def _ask(self, line: str) -> dict:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        self._asked += 1
        ident = self._asked
        deadline = time.monotonic() + self.time_limit + (START_ALLOWANCE if self._fresh else 0)
        try:
            self._proc.stdin.write(json.dumps({**json.loads(line), "id": ident}, ensure_ascii=False) + "\n")
            self._proc.stdin.flush()
            while True:  # an answer carries its request's id: a stray line can never be taken for it
                answer = self._answers.get(timeout=max(0.0, deadline - time.monotonic()))
                if answer is None:
                    break
                try:
                    parsed = json.loads(answer)
                except ValueError:
                    continue
                if isinstance(parsed, dict) and parsed.get("id") == ident:
                    break
            self._fresh = False
        except queue.Empty:
            self._proc.kill()  # busy in the layout: it would not notice its stdin closing
            self._stop()
            return {"ok": False, "error": f"it took longer than {self.time_limit:g} s (the renderer was stopped): "
                                          "simplify it or split it", "timeout": True}
        except OSError:
            answer = None
        if answer is None:
            try:
                code = self._proc.wait(timeout=5)  # its stdout closed: it is exiting
            except subprocess.TimeoutExpired:
                code = None
            self._stop()
            return {"ok": False, "error": f"the renderer exited (code {code}) while rendering it"}
        if not isinstance(parsed.get("ok"), bool):
            return {"ok": False, "error": f"the renderer answered something unreadable: {_short(answer)}"}
        return parsed

    def render(self, request: dict) -> tuple[bool, str]:
        """Return (ok, html-or-error) for one request; cached by its content."""
        ok, out, _ = self.render_with_line(request)
        return ok, out

    def render_with_line(self, request: dict) -> tuple[bool, str, int | None]:
        """Like render(), with the line of the source an error is on (None if unknown)."""
        line = json.dumps(request, ensure_ascii=False, sort_keys=True)
        key = hashlib.sha256(line.encode("utf-8")).hexdigest()
        if key not in self._cache:
            answer = self._ask(line)
            source_line = answer.get("line") if isinstance(answer.get("line"), int) else None
            self._cache[key] = [answer["ok"], str(answer.get("html") or answer.get("error", "")), source_line]
            self._dirty = True
        self._used.add(key)
        ok, out, *rest = self._cache[key]
        return ok, out, (rest[0] if rest else None)

    def math_characters(self) -> str:
        """Every character a formula of this build shows: what the KaTeX fonts must keep."""
        characters = set(" 0123456789")
        for key in sorted(self._used):
            ok, out, *_ = self._cache[key]
            if ok and 'class="katex' in out:
                characters.update(html.unescape(TAG.sub("", out)))
        return "".join(sorted(characters))

    def save(self) -> None:
        """Write this build's answers to the disk cache (errors are not worth keeping).

        Atomically: a temporary file then a rename, so a concurrent build sharing the cache, or
        one deleting it, never reads half a file. Answers no page of this build used are dropped.
        """
        if not self._dirty:
            return
        answers = {k: v[:2] for k, v in sorted(self._cache.items()) if v[0] and k in self._used}
        try:
            write_atomically(self.cache_file, json.dumps({"version": self.version, "answers": answers}, ensure_ascii=False))
            self._dirty = False
        except OSError:
            pass  # a read-only checkout still builds, only without the cache

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.stdin.close()
        try:
            proc.wait(timeout=0 if proc.poll() is not None else 5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        self.save()
        if self._proc is not None and self._proc.poll() is None:
            # A renderer stuck on a diagram would not see its stdin close: stop it outright.
            self._proc.kill()
        self._stop()


def write_atomically(path: Path, text: str) -> None:
    """Write `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def has_math(page_html: str) -> bool:
    return 'class="arithmatex"' in page_html


def exclude_sources_from_search(page_html: str) -> str:
    """Mark math and diagram sources so the search index skips them (they are rendered later,
    in the finished page, so the search plugin never parses KaTeX's glyph spans or SVG)."""
    return SOURCES.sub(r'<\1 class="\2" data-search-exclude>', page_html)


def prerender(page_html: str, renderer: Renderer, source: str | None = None) -> tuple[str, list[RenderError]]:
    """Replace math and diagram sources in `page_html`; return the new HTML and the errors.
    With the page's Markdown `source`, each error carries the page line it comes from."""
    errors: list[RenderError] = []
    where = SourceLines(source) if source is not None else None

    def failed(kind: str, text: str, message: str, source_line: int | None, inline: bool = False) -> None:
        line = where.find(kind, text, inline) if where else None
        if line is not None and source_line is not None:
            line += source_line - 1 + (1 if kind == "mermaid" else 0)  # the fence's own line comes first
        error = RenderError(kind, text, message, source_line, line)
        if error not in errors:  # a formula in a heading is in the page twice: the table of contents
            errors.append(error)

    def math(m: re.Match) -> str:
        tex = html.unescape(m["tex"]).strip()
        display = m["open"] == "["
        ok, out, _ = renderer.render_with_line({"kind": "math", "tex": tex, "display": display})
        if not ok:
            failed("math", tex, out, None, inline=not display)
            return m[0]
        # Out of the search index: KaTeX repeats each formula as MathML, TeX and glyph spans.
        return f'<div class="math" data-search-exclude>{out}</div>' if display else f"<span data-search-exclude>{out}</span>"

    def diagram(m: re.Match) -> str:
        src = html.unescape(m["src"])
        ok, out, source_line = renderer.render_with_line({"kind": "mermaid", "src": src})
        if not ok:
            failed("mermaid", src, out, source_line)
            return m[0]
        number = diagram.count = getattr(diagram, "count", 0) + 1
        return f'<figure class="diagram" data-search-exclude>{_scope_ids(out, f"d{number}-")}</figure>'

    page_html = MATH.sub(math, page_html)
    page_html = MERMAID.sub(diagram, page_html)
    return page_html, errors


class SourceLines:
    """Finds where in a page's Markdown a formula or diagram of its HTML was written.

    The rendered page no longer knows its source lines; the formula's or diagram's own text
    does: its lines are looked up in order, so the nth copy of one formula gets the nth line.
    """

    def __init__(self, source: str) -> None:
        self.lines = source.split("\n")
        self.after: dict[tuple[str, str], int] = {}

    def find(self, kind: str, text: str, inline: bool = False) -> int | None:
        """Page line (from 1) where `text` starts: for a diagram, its fence's line."""
        wanted = [x.strip() for x in text.strip().split("\n") if x.strip()]
        if not wanted:
            return None
        start, previous = self.after.get((kind, text), (0, None))
        firsts = [f"${wanted[0]}$", wanted[0]] if inline and len(wanted) == 1 else [wanted[0]]
        for first in firsts:
            for index in range(start, len(self.lines)):
                if first in self.lines[index] and self._continues(index, wanted[1:]):
                    opener = index - 1 if kind == "mermaid" and index > 0 else index
                    self.after[(kind, text)] = (index + 1, opener + 1)
                    return opener + 1
        return previous  # one more copy than the source has (the heading's copy in the contents)

    def _continues(self, index: int, rest: list[str]) -> bool:
        for wanted in rest:
            index += 1
            while index < len(self.lines) and not self.lines[index].strip():
                index += 1
            if index >= len(self.lines) or wanted not in self.lines[index]:
                return False
        return True


def _scope_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an inline SVG so two diagrams on one page do not share ids."""
    ids = set(SVG_ID.findall(svg))
    for ident in ids:
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}{ident}"').replace(f"#{ident})", f"#{prefix}{ident})")
    return svg


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
