"""Post-build fixes of the shared output tree that static-i18n writes for all languages."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path


MATH_FONT = Path("@fontsource") / "noto-sans-math" / "files" / "noto-sans-math-latin-400-normal.woff2"
MATH_FONT_TARGET = Path("assets") / "math" / "noto-sans-math.woff2"
MATHML = re.compile(r"<math\b.*?</math>", re.S)
TAG = re.compile(r"<[^>]+>")


def math_characters(site_dir: Path) -> str:
    """Every character a formula of the built site shows (its MathML text, the TeX annotation
    included: a reader who copies a formula gets it)."""
    characters = set("0123456789()+-=")
    for page in site_dir.rglob("*.html"):
        for m in MATHML.finditer(page.read_text(encoding="utf-8")):
            characters.update(html.unescape(TAG.sub("", m[0])))
    characters.discard("\n")
    return "".join(sorted(characters))


def install_math_font(node_modules: Path, site_dir: Path, cache_dir: Path) -> int:
    """Self-host the OpenType math font the formulas are set in, cut down to the characters the
    site's formulas use (with the MATH table and the glyph variants it names: stretchy brackets,
    radicals, big operators). Returns its size in bytes; the subset is cached by character set."""
    source = node_modules / MATH_FONT
    characters = math_characters(site_dir)
    key = hashlib.sha256((characters + str(source.stat().st_size)).encode()).hexdigest()[:16]
    cached = cache_dir / "math-font" / f"{key}.woff2"
    target = site_dir / MATH_FONT_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    # The cache is only an optimisation: a missing, damaged or concurrently deleted one is
    # bypassed, and the subset is made again straight into the site.
    if not _copy_intact(cached, target):
        _subset_font(source, target, characters)
        _publish(target, cached)
    return target.stat().st_size


def _copy_intact(cached: Path, target: Path) -> bool:
    """Copy a cached subset if it is whole: a WOFF2 file records its own length in its header,
    so a truncated or foreign file is told apart without parsing the font."""
    try:
        data = cached.read_bytes()
    except OSError:
        return False
    if data[:4] != b"wOF2" or int.from_bytes(data[8:12], "big") != len(data):
        return False
    target.write_bytes(data)
    return True


def _publish(font: Path, cached: Path) -> None:
    """Put a finished subset into the cache in one rename (another build may be writing the
    same key, or deleting the cache: either way this build is already done)."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.partial")
        shutil.copyfile(font, partial)
        os.replace(partial, cached)
    except OSError:
        pass


def _subset_font(source: Path, target: Path, characters: str) -> None:
    from fontTools import subset  # imported on use: only a changed set of formulas needs it
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    # recalcTimestamp=False: the font keeps its own date, not the moment of this build.
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    font.save(partial)
    os.replace(partial, target)


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
