"""Shared by the bad-input tests (one folder per fault kind): a glossary from text, and the
site's own Markdown pipeline (the extensions of mkdocs.yml) with the tooltip extension."""

from __future__ import annotations

import textwrap

import markdown
import pytest
import yaml
from support import ROOT

from r1docs import glossary as g, tooltips

ROUTER = """
- id: router
  zh: 路由器
  en: router
  zh_def: 为每个 token 挑选专家的小网络。
  en_def: The small network that picks the experts for each token.
  page: moe.md#routing
- id: shared-expert
  zh: 共享专家
  en: shared expert
  zh_def: 每个 token 都经过的专家。
  en_def: An expert every token passes through.
  page: moe.md#shared
"""


def load_glossary(tmp_path, text: str, languages=g.LANGUAGES):
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return g.load(path, "data/glossary.yml", languages)


class _ConfigLoader(yaml.UnsafeLoader):
    """mkdocs.yml with `!ENV` read as its default and `!!python/name:` resolved."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1]
                              if isinstance(node, yaml.SequenceNode) else None)


def site_extensions() -> tuple[list, dict]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, options), = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    return names, configs


@pytest.fixture(scope="session")
def convert():
    """convert(glossary, text, lang='en', glossary_page=False) -> HTML of the site's pipeline."""
    names, configs = site_extensions()

    def run(glossary, text: str, lang: str = "en", glossary_page: bool = False, titles=None) -> str:
        extension = tooltips.TooltipsExtension()
        extension.page = tooltips.PageContext(glossary, lang, "glossary.md", glossary_page, titles or {})
        md = markdown.Markdown(extensions=[*names, extension], extension_configs=configs)
        return md.convert(textwrap.dedent(text).lstrip("\n"))

    return run


@pytest.fixture
def small_site(tmp_path):
    """A copy of the site with three small page pairs and a two-term glossary (a fast real build),
    its sections recorded as in step; the probes of tests/bad_input/probes.py damage the same one."""
    import probes

    return probes.make_base("mini", tmp_path)
