"""Material's bundle is found by its fingerprinted name, and a missing or doubled one is named."""

from __future__ import annotations

import pytest
from support import ROOT  # noqa: F401  (puts hooks/ on sys.path)

from r1docs import material


def bundle(folder, name):
    path = folder / "assets" / "javascripts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("//", encoding="utf-8")


def test_found_in_the_theme_folder_that_has_it(tmp_path):
    custom, theme = tmp_path / "overrides", tmp_path / "material"
    custom.mkdir()
    bundle(theme, "bundle.0123abcd.min.js")
    bundle(theme, "bundle.0123abcd.min.js.map")
    assert material.bundle_path([custom, theme]) == "assets/javascripts/bundle.0123abcd.min.js"


def test_a_copy_in_the_custom_folder_wins_as_in_the_template(tmp_path):
    custom, theme = tmp_path / "overrides", tmp_path / "material"
    bundle(custom, "bundle.ffff0000.min.js")
    bundle(theme, "bundle.0123abcd.min.js")
    assert material.bundle_path([custom, theme]) == "assets/javascripts/bundle.ffff0000.min.js"


def test_none_is_an_error_that_says_what_to_do(tmp_path):
    with pytest.raises(material.BundleNotFound, match=r"No theme folder holds Material's bundle .*Reinstall"):
        material.bundle_path([tmp_path])


def test_two_are_an_error_naming_the_folder_and_both(tmp_path):
    bundle(tmp_path, "bundle.aaaa1111.min.js")
    bundle(tmp_path, "bundle.bbbb2222.min.js")
    with pytest.raises(material.BundleNotFound, match=r"holds 2 Material bundles \(assets/javascripts/bundle.aaaa1111.min.js, "):
        material.bundle_path([tmp_path])


def test_the_installed_material_has_exactly_one():
    import mkdocs.theme

    theme = mkdocs.theme.Theme(name="material")
    assert material.bundle_path(theme.dirs).startswith("assets/javascripts/bundle.")
