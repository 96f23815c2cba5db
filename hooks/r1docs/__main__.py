"""Command line: `python -m r1docs [project root]` runs the hook's checks without MkDocs.

Prints one line per finding. Exit status: 0 clean, 1 findings, 2 the project cannot be read.
`--sync` records the sections of every page as in step (docs/.sync-record) when there is no
finding; it is what `make sync` runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from . import glossary as glossary_mod, sync
from .checks import ProjectError, check_site, read_project_full
from .document import Document
from .parity import pair_pages
from .settings import SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m r1docs", description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default=".", type=Path, help="project root (holds mkdocs.yml)")
    parser.add_argument("--sync", action="store_true", help="record the current sections as in step (make sync)")
    args = parser.parse_args(argv)
    try:
        project = read_project_full(args.root)
        glossary, findings = None, []
        located = glossary_mod.locate(args.root, project.settings.glossary)
        if located is not None:
            # The build's cache of the validated glossary (.cache/glossary/), shared with the hook.
            glossary, findings = glossary_mod.load_cached(*located, cache_dir=args.root / ".cache" / "glossary",
                                                       sort_keys=False)
        record_file = sync.record_path(project.docs_dir)
        record = None if args.sync else sync.read_record(record_file)
    except (ProjectError, SettingsError, glossary_mod.GlossaryError) as e:
        print(f"ERROR   -  {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"ERROR   -  Cannot read the project at '{args.root}': {e}", file=sys.stderr)
        return 2
    if not project.pages:
        print(f"ERROR   -  No pages under '{project.docs_dir}/<language>/' for the languages "
              f"{', '.join(project.languages)}: the checker reads the folder layout.", file=sys.stderr)
        return 2
    findings = sorted(set(findings + project.findings + check_site(project.pages, project.languages, project.navs, glossary,
                                                project.site_url, settings=project.settings, record=record,
                                                cache_dir=args.root / ".cache", root=args.root)),
                      key=lambda f: (f.file, f.line or 0, f.message))
    for finding in findings:
        print(f"WARNING -  {finding}")
    terms = f", {len(glossary.terms)} glossary terms" if glossary is not None else ", no glossary"
    print(f"{len(findings)} finding(s) in {len(project.pages)} pages in {len(project.languages)} languages{terms}.",
          file=sys.stderr)
    if args.sync:
        if findings:
            print("ERROR   -  Not recording the sync state while findings remain: fix them, then run 'make sync' again.",
                  file=sys.stderr)
            return 1
        pages = [p for p in project.pages if not project.settings.excluded(p.name)]
        docs = {p.uri: Document(p.text) for p in pages}
        pairs, _ = pair_pages(pages, project.languages)
        try:
            old = sync.read_record(record_file)
        except ValueError:
            old = None  # a damaged record is what `make sync` is for: written again from the pages
        try:
            sync.write(record_file, sync.updated(old, pairs, docs, project.languages))
        except OSError as e:
            print(f"ERROR   -  Cannot write the sync record '{record_file}': {e.strerror}.", file=sys.stderr)
            return 2
        print(f"Recorded {record_file.relative_to(args.root) if record_file.is_relative_to(args.root) else record_file}.",
              file=sys.stderr)
        return 0
    return 1 if findings else 0


if __name__ == "__main__":
    # A short process whose records live until it ends: the cyclic collector would only walk the
    # views of every page again and again (0.2 s on 2,000 pages), and so would the interpreter's
    # teardown, which collects and frees them all (0.3-0.9 s) before the process can exit.
    gc.disable()
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`| head`): nothing more can be said
        pass
    os._exit(code)
