"""Post-build fixes of the shared output tree that static-i18n writes for all languages."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path


def install_katex_assets(katex_dist: Path, site_dir: Path, characters: str, cache_dir: Path) -> None:
    """Copy KaTeX's stylesheet and its woff2 fonts, each cut down to `characters`.

    A math-heavy page loads six to eight KaTeX fonts; subset to the characters the site's
    formulas use they weigh about a third less. The subsets are cached by character set.
    """
    target = site_dir / "assets" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copy2(katex_dist / "katex.min.css", target / "katex.min.css")
    key = hashlib.sha256((characters + (katex_dist / "katex.min.css").read_text(encoding="utf-8")[:200]).encode()).hexdigest()[:16]
    subsets = cache_dir / "katex-fonts" / key
    if not subsets.is_dir():
        _subset_fonts(katex_dist / "fonts", subsets, characters)
    for font in subsets.glob("*.woff2"):
        shutil.copy2(font, target / "fonts" / font.name)


def _subset_fonts(source: Path, target: Path, characters: str) -> None:
    from fontTools import subset  # imported on use: only a changed set of formulas needs it
    from fontTools.ttLib import TTFont

    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    for font_file in sorted(source.glob("*.woff2")):
        font = TTFont(font_file, recalcTimestamp=False)  # the same bytes on every build
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(partial / font_file.name)
    partial.replace(target)


# Lunr pipeline per index. No stemmer in either: Material turns every query term into a prefix
# query ("experts*"), which lunr does not stem, so a stemmed index ("expert") would never match
# the plural a reader types; unstemmed, "expert" and "experts" both find "experts". Chinese text
# is already segmented by jieba (with \u200b), where an English stemmer only does harm.
SEARCH_PIPELINES = {"en": ["stopWordFilter"], "zh": ["stopWordFilter"]}


def split_search_index(site_dir: Path, default: str, others: list[str]) -> dict[str, int]:
    """Split static-i18n's one mixed search index into one index per language.

    The default language keeps `search/search_index.json`; language `xx` gets
    `xx/search/search_index.json` with locations relative to `xx/` (the template points
    the search of `xx/` pages there). Returns the number of documents per language.
    """
    source = site_dir / "search" / "search_index.json"
    index = json.loads(source.read_text(encoding="utf-8"))
    buckets: dict[str, list[dict]] = {lang: [] for lang in [default, *others]}
    for doc in index["docs"]:
        lang = next((x for x in others if doc["location"].startswith(f"{x}/") or doc["location"] == x), default)
        if lang != default:
            doc = {**doc, "location": doc["location"][len(lang) + 1 :]}
        buckets[lang].append(doc)
    for lang, docs in buckets.items():
        config = {**index["config"], "lang": [lang], "pipeline": SEARCH_PIPELINES.get(lang, ["stopWordFilter"])}
        target = source if lang == default else site_dir / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {lang: len(docs) for lang, docs in buckets.items()}


def restore_default_404(site_dir: Path, default_404: bytes, last_language: str | None) -> None:
    """Put the default language's 404 back at the root; keep the last pass's as `xx/404.html`."""
    root_404 = site_dir / "404.html"
    if last_language is not None and root_404.exists():
        (site_dir / last_language).mkdir(exist_ok=True)
        root_404.replace(site_dir / last_language / "404.html")
    root_404.write_bytes(default_404)
