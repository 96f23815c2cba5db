"""Re-runs the bad-input probes (the review's 160 and our own hostile round), each in a throw-away
copy of the project, never in the worktree; writes the table tests/bad_input/PROBES.md.

    .venv/bin/python tests/bad_input/probes.py            # every probe
    .venv/bin/python tests/bad_input/probes.py R05 H12    # some probes (their rows of the table only)

A probe damages a copy, runs the tool a maintainer would run (a strict build of a small copy of the
site, the checker on the full copy, `make sync`, the PDF builder) and judges what it printed:
good = one clear line naming the file and a failing build (or exit 2), or a correct page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
sys.path.insert(0, str(ROOT / "tools"))
import project_copy  # noqa: E402

MINI_DOCS = {
    "zh/index.md": """
        # 首页 { #home }

        ## 概述 { #overview }

        本站讲解混合专家（MoE）与路由器，见[路由](moe.md#routing)。
        """,
    "en/index.md": """
        # Home { #home }

        ## Overview { #overview }

        This site explains the mixture of experts (MoE) and the router; see [routing](moe.md#routing).
        """,
    "zh/moe.md": """
        # 混合专家 { #moe }

        ## 路由 { #routing }

        路由器为每个 token 挑选专家。
        """,
    "en/moe.md": """
        # Mixture of experts { #moe }

        ## Routing { #routing }

        The router picks the experts for each token.
        """,
    "zh/glossary.md": "# 术语表 { #glossary }\n",
    "en/glossary.md": "# Glossary { #glossary }\n",
}
MINI_GLOSSARY = """
- id: mixture-of-experts
  zh: 混合专家
  en: mixture of experts
  abbr: MoE
  zh_def: 由许多小专家组成、每个 token 只用其中几个的层。
  en_def: A layer of many small experts, of which each token uses a few.
  page: moe.md#moe
- id: router
  zh: 路由器
  en: router
  zh_def: 为每个 token 挑选专家的小网络。
  en_def: The small network that picks the experts for each token.
  page: moe.md#routing
"""
NAV = {"zh": ["首页: index.md", "混合专家: moe.md", "术语表: glossary.md"],
       "en": ["Home: index.md", "MoE: moe.md", "Glossary: glossary.md"]}
TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Run:
    rc: int | None  # None: timed out
    out: str  # stdout + stderr
    project: Path
    seconds: float

    @property
    def problems(self) -> list[str]:
        return [l for l in self.out.splitlines() if l.startswith(("WARNING", "ERROR", "Error: "))
                and "Aborted with" not in l]

    def html(self, uri: str) -> str:
        path = self.project / "site" / uri
        return path.read_text(encoding="utf-8") if path.exists() else ""


@dataclass
class Probe:
    id: str
    name: str
    setup: Callable[[Path], None]
    tool: str = "build"  # build (small site), check (checker on the full site), sync, pdf, check-mini
    expect: str | None = None  # a fragment the one finding must hold
    page_ok: Callable[[Run], bool] | None = None  # the probe expects a correct page, not an error
    max_lines: int = 3  # more problem lines than this is knock-on noise
    fixed: bool = False  # bad before this session, fixed in it
    resync: bool = True  # record the damaged pages as in step first (`make sync`; refused while findings remain)


# --- helpers that damage a copy -------------------------------------------------------------
def append(uri: str, text: str, *langs: str) -> Callable[[Path], None]:
    def setup(p: Path) -> None:
        for lang in langs or ("zh", "en"):
            path = p / "docs" / lang / uri
            path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return setup


def write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def setup(p: Path) -> None:
        path = p / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return setup


def edit(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def setup(p: Path) -> None:
        path = p / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel}: {old!r} not found"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return setup


def glossary_entry(text: str) -> Callable[[Path], None]:
    """Append an entry to the glossary (a damaged one)."""
    def setup(p: Path) -> None:
        path = p / "data" / "glossary.yml"
        path.write_text(path.read_text(encoding="utf-8") + textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return setup


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(p: Path) -> None:
        for s in setups:
            s(p)
    return setup


def has(uri: str, *fragments: str, absent: tuple[str, ...] = ()) -> Callable[[Run], bool]:
    def ok(run: Run) -> bool:
        html = run.html(uri)
        return run.rc == 0 and bool(html) and all(f in html for f in fragments) and not any(f in html for f in absent)
    return ok


# --- the projects ---------------------------------------------------------------------------
def make_base(kind: str, where: Path) -> Path:
    project = where / f"base-{kind}"
    if project.exists():
        return project
    if kind == "mini":
        project_copy.make_project(project, MINI_DOCS, MINI_GLOSSARY)
        sys.path.insert(0, str(ROOT / "tests"))
        from support import set_nav
        set_nav(project / "mkdocs.yml", NAV)
        (project / "data" / "claims.yml").unlink()
    else:
        project_copy.make_project(project)
        shutil.copy2(ROOT / "docs" / ".sync-record", project / "docs" / ".sync-record")
    (project / "tools").mkdir()
    shutil.copy2(ROOT / "tools" / "pdf_book.py", project / "tools" / "pdf_book.py")
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    if kind == "mini":
        r = subprocess.run([PY, "-m", "r1docs", "--sync", "."], cwd=project, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(project / "hooks")})
        assert r.returncode == 0, r.stdout + r.stderr
    return project


def run_probe(probe: Probe, where: Path) -> Run:
    kind = "full" if probe.tool == "check" else "mini"
    base = make_base(kind, where)
    project = where / probe.id
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(base, project, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    probe.setup(project)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project / "hooks")}
    env.pop("CHROMIUM", None)
    if probe.resync and kind == "mini":
        # A page edited in one language is otherwise a stale section: not what the probe is about.
        try:
            subprocess.run([PY, "-m", "r1docs", "--sync", "."], cwd=project, capture_output=True, env=env, timeout=240)
        except subprocess.TimeoutExpired:
            pass  # the probe's own run shows it
    if probe.tool in ("check", "check-mini"):
        command = [PY, "-m", "r1docs", "."]
    elif probe.tool == "sync":
        command = [PY, "-m", "r1docs", "--sync", "."]
    elif probe.tool.startswith("pdf"):
        if probe.tool != "pdf-nosite":  # a (non-strict) build of the damaged copy first
            subprocess.run([PY, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")], cwd=project,
                           capture_output=True, env=env, timeout=240)
        extra = probe.tool.partition(":")[2]
        if extra:
            env.update(dict([extra.split("=", 1)]))
        command = [PY, "tools/pdf_book.py", "--site", str(project / "site"), "--config", str(project / "mkdocs.yml")]
    else:
        command = [PY, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")]
    started = time.monotonic()
    try:
        r = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=240)
        rc, out = r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        rc, out = None, (e.stdout or b"").decode("utf-8", "replace") + (e.stderr or b"").decode("utf-8", "replace")
    return Run(rc, out, project, time.monotonic() - started)


def judge(probe: Probe, run: Run) -> tuple[str, str]:
    """(verdict, message shown in the table)."""
    problems = run.problems
    first = problems[0] if problems else ""
    if run.rc is None:
        return "bad", "timed out after 240 s"
    if TRACEBACK in run.out:
        return "bad", "traceback: " + next((l for l in reversed(run.out.splitlines()) if l.strip()), "")
    if probe.page_ok is not None:
        if probe.page_ok(run):
            return "good", "correct page" + (f"; {first}" if first else "")
        return "bad", f"wrong page (exit {run.rc})" + (f"; {first}" if first else "")
    if run.rc == 0:
        return "bad", "passes silently"
    if not problems:
        return "bad", f"exit {run.rc} without a message: " + run.out.strip().splitlines()[-1:][0] if run.out.strip() else "no output"
    if probe.expect and not any(probe.expect in l for l in problems):
        return "bad", f"unexpected: {first}"
    if len(problems) > probe.max_lines:
        return "partly", f"{len(problems)} lines; first: {first}"
    return "good", " / ".join(problems)


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def short(message: str, width: int = 230) -> str:
    message = re.sub(r"^(WARNING|ERROR) +-  (r1docs: )?", "", message.replace(" / WARNING -  ", " / "))
    message = message.replace("|", "\\|")
    return message if len(message) <= width else message[: width - 1] + "…"


def main(argv: list[str]) -> int:
    from probe_list import PROBES

    wanted = set(argv)
    order = {name: number for number, name in enumerate(argv)}
    chosen = sorted((p for p in PROBES if not wanted or p.id in wanted), key=lambda p: order.get(p.id, -1))
    where = Path(tempfile.mkdtemp(prefix="r1docs-probes-"))
    rows, bad = [], 0
    try:
        for probe in chosen:
            run = run_probe(probe, where)
            verdict, message = judge(probe, run)
            bad += verdict != "good"
            rows.append((probe, verdict, message))
            print(f"{probe.id:5} {verdict:7} {run.seconds:5.1f}s {probe.name}: {short(message, 300)}", flush=True)
            if os.environ.get("PROBES_VERBOSE"):
                print(textwrap.indent(run.out, "      | "), flush=True)
            shutil.rmtree(run.project, ignore_errors=True)
            write_table(rows)  # after every probe: a long run interrupted keeps what it found
    finally:
        shutil.rmtree(where, ignore_errors=True)
    print(f"{len(rows) - bad} of {len(rows)} good", flush=True)
    return 1 if bad else 0


def write_table(rows) -> None:
    from probe_list import PROBES
    # The table keeps the last result of every probe: a run of some probes replaces their rows only.
    table_file = ROOT / "tests" / "bad_input" / "PROBES.md"
    old = {}
    if table_file.exists():
        for line in table_file.read_text(encoding="utf-8").splitlines():
            if line.startswith("| ") and not line.startswith(("| id ", "|---")):
                old[line.split(" | ", 1)[0][2:]] = line
    new = {p.id: f"| {p.id} | {cell(p.name)} | {p.tool.split(':')[0]} | {'fixed now' if v == 'good' and p.fixed else v} "
                 f"| {short(m)} |" for p, v, m in rows}
    lines = [new.get(p.id) or old.get(p.id) for p in PROBES]
    table = ["| id | probe | tool | result | message |", "|---|---|---|---|---|"] + [x for x in lines if x]
    table_file.write_text(HEADER + "\n".join(table) + "\n", encoding="utf-8")


HEADER = """# Bad-input probes

Written by `tests/bad_input/probes.py` (re-run it after changing a message). `R` probes are the
review's (`../shared/reviews/bad-input.md`, numbered in its order), `H` probes the second hostile
round. Each ran in a throw-away copy: `build` is a strict build of a small copy of the site,
`check` the checker on the full copy, `sync` `make sync`, `pdf` the PDF builder. Result: good = one
clear line naming the file and a failing build (or exit 2), or a correct page; fixed now = bad or
partly bad before this session (in the review, or in this session's first run), good now; partly =
the right finding plus knock-on lines. A run of some probes replaces their rows only.

The messages are cut at 230 characters. The review's probes of the PDF's content (arrowheads, wide
tables and formulas, bookmarks), of cache races and of killing a build are not re-run here: the
tests named in the review's issue (`tests/test_pdf.py`, `tests/bad_input/caches/`,
`tests/bad_input/renderer/`) run them.

"""

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main(sys.argv[1:]))
