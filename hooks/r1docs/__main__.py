"""Command line: `python -m r1docs [project root]` runs the hook's checks without MkDocs.

Prints one line per finding and exits 1 if there is any (2 if the data cannot be read),
so it also serves as a pre-commit check and outlives a change of site engine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import glossary as glossary_mod
from .checks import GLOSSARY_FILE, check_site, read_project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m r1docs", description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default=".", type=Path, help="project root (holds mkdocs.yml)")
    args = parser.parse_args(argv)
    try:
        pages, languages, navs, site_url = read_project(args.root)
        glossary, findings = glossary_mod.load(args.root / GLOSSARY_FILE, GLOSSARY_FILE)
    except glossary_mod.GlossaryError as e:
        print(f"ERROR   -  {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"ERROR   -  Cannot read the project at '{args.root}': {e}", file=sys.stderr)
        return 2
    findings = sorted(set(findings + check_site(pages, languages, navs, glossary, site_url)),
                      key=lambda f: (f.file, f.line or 0, f.message))
    for finding in findings:
        print(f"WARNING -  {finding}")
    print(f"{len(findings)} finding(s) in {len(pages)} pages, {len(glossary.terms)} glossary terms.", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
