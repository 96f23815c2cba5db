"""Damaged, shared or vanishing caches: never a traceback, never a different site."""

import hashlib
import json
import shutil
import subprocess
import sys

import pytest
from support import ROOT

from r1docs import prerender, site_output

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
NODE_MODULES = ROOT / "node_modules"


def install_font(site, cache, characters):
    """The math font step of a build whose formulas show `characters`."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(f"<p><math><mi>{characters}</mi></math></p>", encoding="utf-8")
    site_output.install_math_font(NODE_MODULES, site, cache)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    (tmp_path / ".cache").mkdir()
    return tmp_path


@needs_node
@pytest.mark.parametrize("stored", ["[]", "null", '{"answers": []}', "{", '{"version": "%s", "answers": {"k": "x"}}',
                                    '{"version": "%s", "answers": {"k": [true, 3]}}'],
                         ids=["list", "null", "answers-list", "truncated", "answer-not-a-pair", "answer-not-text"])
def test_cache_of_the_wrong_shape_is_ignored_and_rewritten(project, stored):
    version = prerender.Renderer(project).version
    (project / ".cache" / "prerender.json").write_text(stored.replace("%s", version), encoding="utf-8")
    renderer = prerender.Renderer(project)
    assert renderer._cache == {}
    assert renderer.render({"kind": "math", "tex": "x", "display": False})[0]
    renderer.close()
    saved = json.loads((project / ".cache" / "prerender.json").read_text(encoding="utf-8"))
    assert saved["version"] == version and len(saved["answers"]) == 1


@needs_node
def test_cache_deleted_during_the_build_is_written_again(project):
    renderer = prerender.Renderer(project)
    renderer.render({"kind": "math", "tex": "x", "display": False})
    shutil.rmtree(project / ".cache")
    renderer.close()
    assert json.loads((project / ".cache" / "prerender.json").read_text(encoding="utf-8"))["answers"]
    assert [p.name for p in (project / ".cache").iterdir()] == ["prerender.json"]  # no temporary file left


@needs_node
def test_font_characters_and_cache_come_from_this_build_only(project):
    first = prerender.Renderer(project)
    first.render({"kind": "math", "tex": "\\alpha", "display": False})  # an earlier build's formula
    first.close()
    second = prerender.Renderer(project)
    second.begin_build()
    second.render({"kind": "math", "tex": "x", "display": False})
    assert "α" not in second.math_characters() and "x" in second.math_characters()
    second.close()
    answers = json.loads((project / ".cache" / "prerender.json").read_text(encoding="utf-8"))["answers"]
    assert len(answers) == 1  # the unused answer is dropped


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.woff2"))}


def test_font_subsets_do_not_depend_on_cache_or_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    install_font(tmp_path / "cold", tmp_path / "cache", "xy")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    install_font(tmp_path / "again", tmp_path / "other-cache", "xy")
    install_font(tmp_path / "warm", tmp_path / "cache", "xy")
    cold = digest(tmp_path / "cold")
    assert cold and cold == digest(tmp_path / "again") == digest(tmp_path / "warm")


def test_incomplete_font_cache_is_bypassed(tmp_path):
    install_font(tmp_path / "a", tmp_path / "cache", "xy")
    (cached,) = [p for p in (tmp_path / "cache" / "math-font").iterdir()]
    cached.write_bytes(cached.read_bytes()[:100])  # another build stopped half-way through writing it
    install_font(tmp_path / "b", tmp_path / "cache", "xy")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


CONCURRENT = """
import sys
sys.path.insert(0, {hooks!r})
from pathlib import Path
from r1docs import site_output
site = Path(sys.argv[1])
site.mkdir(parents=True)
(site / "index.html").write_text("<math><mi>abc</mi></math>", encoding="utf-8")
site_output.install_math_font(Path({node_modules!r}), site, Path({cache!r}))
"""


def test_two_builds_sharing_a_font_cache_both_succeed(tmp_path):
    code = CONCURRENT.format(hooks=str(ROOT / "hooks"), node_modules=str(NODE_MODULES), cache=str(tmp_path / "cache"))
    runs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / name)], stderr=subprocess.PIPE, text=True)
            for name in ("one", "two")]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert digest(tmp_path / "one") == digest(tmp_path / "two") != {}


def test_jinja_cache_deleted_during_the_build_is_harmless(tmp_path):
    import jinja2
    import site_hook

    cache = site_hook._BytecodeCache(str(tmp_path / "jinja"))
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "2"
    (tmp_path / "jinja").mkdir(exist_ok=True)
    for entry in (tmp_path / "jinja").iterdir():
        entry.write_bytes(b"j2\x00garbage")  # a damaged entry
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "2"
    shutil.rmtree(tmp_path / "jinja")  # another build's `rm -rf .cache`
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 2 + 2 }}"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "4"


@needs_node
def test_cache_folder_that_is_a_file_is_harmless(project, tmp_path):
    (project / ".cache").rmdir()
    (project / ".cache").write_text("not a folder", encoding="utf-8")
    renderer = prerender.Renderer(project)
    assert renderer.render({"kind": "math", "tex": "x", "display": False})[0]
    renderer.close()  # the answers cannot be kept, and that is all
    install_font(tmp_path / "site", project / ".cache", "x")
    assert digest(tmp_path / "site")
