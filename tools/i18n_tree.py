"""Map a multilingual MkDocs project of another layout onto the static-i18n folder layout that
`python -m r1docs` reads, without copying or changing the project.

    python tools/i18n_tree.py OUT --lang en=SRC/docs/en/docs --lang zh=SRC/docs/zh/docs \
        [--nav en=SRC/docs/en/mkdocs.yml] [--nav zh=...] [--site-url URL] [--exclude GLOB] [--no-missing-pages]
    python tools/i18n_tree.py OUT --preset fastapi SRC      # docs/<lang>/docs + one mkdocs.yml per language
    python tools/i18n_tree.py OUT --preset hello-algo SRC   # zh in docs/, en in en/docs/, a mkdocs.yml each

OUT gets `docs/<lang>` symlinks to each language's pages and a minimal `mkdocs.yml` (the i18n
plugin with each language's nav, the first language the default, and the checker's settings).
Presets hold what each project documents about itself: FastAPI's untranslated sections
(`scripts/docs.py`, `non_translated_sections`) and its English fallback for missing pages.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

import yaml  # noqa: E402

from r1docs.checks import ProjectError, read_config  # noqa: E402

PRESETS = {
    "fastapi": {
        "langs": [("en", "docs/en/docs"), ("zh", "docs/zh/docs")],
        "navs": {"en": "docs/en/mkdocs.yml"},  # zh's config is generated from en's at build time
        "site_url": "https://fastapi.tiangolo.com/",
        # scripts/docs.py: non_translated_sections; every other page missing in zh falls back to en.
        "exclude": ["reference/*", "release-notes.md", "fastapi-people.md", "external-links.md", "newsletter.md",
                    "management-tasks.md", "management.md", "contributing.md", "translations.md", "_llm-test.md"],
        "missing_pages": False,
    },
    "hello-algo": {
        "langs": [("zh", "docs"), ("en", "en/docs")],
        "navs": {"zh": "mkdocs.yml", "en": "en/mkdocs.yml"},
        "site_url": "https://www.hello-algo.com/",
        "exclude": [],
        "missing_pages": True,
    },
}
# The same trees with every language they translate into, each compared with the default one.
PRESETS["fastapi-all"] = {**PRESETS["fastapi"], "langs": PRESETS["fastapi"]["langs"] + [
    (lang, f"docs/{lang}/docs") for lang in ("de", "es", "fr", "hi", "ja", "ko", "pt", "ru", "tr", "uk", "zh-hant")]}
PRESETS["hello-algo-all"] = {**PRESETS["hello-algo"],
                             "langs": PRESETS["hello-algo"]["langs"] + [(lang, f"{lang}/docs") for lang in ("ja", "ru", "zh-hant")],
                             "navs": {**PRESETS["hello-algo"]["navs"], **{lang: f"{lang}/mkdocs.yml" for lang in ("ja", "ru", "zh-hant")}}}


def write_tree(out: Path, langs: list[tuple[str, Path]], navs: dict[str, Path], site_url: str,
               exclude: list[str], missing_pages: bool) -> None:
    (out / "docs").mkdir(parents=True, exist_ok=True)
    languages = []
    for index, (lang, source) in enumerate(langs):
        link = out / "docs" / lang
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(source.resolve(), target_is_directory=True)
        entry = {"locale": lang, "default": index == 0, "build": True}
        if lang in navs:
            nav = read_config(navs[lang]).get("nav")
            if nav:
                entry["nav"] = nav
        languages.append(entry)
    config = {
        "site_name": f"{out.name} (mapped by tools/i18n_tree.py)",
        "site_url": site_url,
        "plugins": [{"i18n": {"docs_structure": "folder", "languages": languages}}],
        "extra": {"translation_checks": {"exclude": exclude, "missing_pages": missing_pages}},
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("source", nargs="?", type=Path, help="project root (with --preset)")
    parser.add_argument("--preset", choices=sorted(PRESETS))
    parser.add_argument("--lang", action="append", default=[], help="LANG=DIR, the default language first")
    parser.add_argument("--nav", action="append", default=[], help="LANG=mkdocs.yml whose nav: that language uses")
    parser.add_argument("--site-url", default="")
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--no-missing-pages", action="store_true", help="pages missing in a language fall back by design")
    args = parser.parse_intermixed_args(argv)
    try:
        if args.preset:
            if args.source is None:
                parser.error("--preset needs the project root")
            preset = PRESETS[args.preset]
            langs = [(lang, args.source / path) for lang, path in preset["langs"]]
            navs = {lang: args.source / path for lang, path in preset["navs"].items()}
            write_tree(args.out, langs, navs, preset["site_url"], preset["exclude"], preset["missing_pages"])
        else:
            langs = [(x.split("=", 1)[0], Path(x.split("=", 1)[1])) for x in args.lang]
            navs = {x.split("=", 1)[0]: Path(x.split("=", 1)[1]) for x in args.nav}
            if len(langs) < 2:
                parser.error("give at least two --lang LANG=DIR")
            write_tree(args.out, langs, navs, args.site_url, args.exclude, not args.no_missing_pages)
    except ProjectError as e:
        print(f"ERROR   -  {e}", file=sys.stderr)
        return 2
    print(f"Wrote {args.out / 'mkdocs.yml'}; run: PYTHONPATH=hooks python -m r1docs {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
