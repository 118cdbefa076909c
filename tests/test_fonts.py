"""No tofu: every character a locale prints has a glyph in the fonts its PDFs use."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import LOCALES, REGISTRY, po_file

from mai_guides import fonts
from mai_guides.builder.glyphs import coverage_problems, printed_text


def test_flask_mai_check_passes_for_every_shipped_locale(runner):
    """The CLI proves every locale's printed characters have glyphs (it reads what the build wrote)."""
    result = runner.invoke(args=["mai", "check"])
    assert result.exit_code == 0, result.output
    assert "Every character of every locale" in result.output


def test_the_glyph_check_reads_real_text_in_every_locale(app):
    """What the check above reads is each locale's own text, not an empty sample."""
    for locale in LOCALES:
        sample = printed_text(Path(app.config["MAI_DATABASE"]), Path(app.config["MAI_TRANSLATIONS"]), REGISTRY, locale)
        assert len(sample) > 200, locale


def test_check_catches_a_character_without_glyph():
    assert fonts.uncovered("Hello ᏣᎳᎩ", "en") == {"Ꮳ", "Ꮃ", "Ꭹ"}  # Cherokee: not in Noto Sans
    assert fonts.uncovered("مرحبا", "en") != set()  # Arabic needs the Arabic face
    assert fonts.uncovered("مرحبا", "ar") == set()
    assert fonts.uncovered("\u200f\u202a \n", "ar") == set()  # bidi marks draw nothing


def test_each_script_gets_the_face_its_readers_expect():
    assert fonts.families("zh-Hans")[0] == "Noto Sans CJK SC"
    assert fonts.families("zh-Hant")[0] == "Noto Sans CJK TC"
    assert fonts.families("ko")[0] == "Noto Sans CJK KR"
    assert fonts.families("ur")[0] == "Noto Nastaliq Urdu"
    assert fonts.families("fa")[0] == "Noto Naskh Arabic"
    for family in {f for code in LOCALES for f in fonts.families(code)}:
        path, _index = fonts.font_file(family)  # raises if fontconfig substitutes another font
        assert Path(path).is_file()


def test_missing_font_is_a_clear_error():
    with pytest.raises(LookupError, match="not installed"):
        fonts.font_file("No Such Font Family 123")


def test_coverage_report_names_the_locale(app, project_copy):
    from support import copy_app

    from mai_guides.registry import load_registry, registry_file
    copy = copy_app(project_copy)
    po = po_file(project_copy, "es", "messages")
    po.write_text(po.read_text().replace('msgstr "Salida rápida"', 'msgstr "Salida ᏣᎳᎩ"'))
    assert copy.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    problems = coverage_problems(Path(copy.config["MAI_DATABASE"]), project_copy / "translations",
                                 load_registry(registry_file(project_copy / "translations")))
    assert set(problems) == {"es"} and "Ꮳ" in problems["es"]
    result = copy.test_cli_runner().invoke(args=["mai", "check"])
    assert result.exit_code != 0 and "es: no glyph for" in result.output and "U+13E3" in result.output


def test_web_font_rules_come_from_the_same_table(client):
    """One home for which face draws which language: /fonts.css is written from fonts.py."""
    css = client.get("/fonts.css").get_data(as_text=True)
    for code in LOCALES:
        first = fonts.families(code)[0]
        if first != fonts.BASE_FAMILY:
            assert f':lang({code}) {{ font-family: "{first}"' in css or f'"Latin in {code}", "{first}"' in css, code
    stylesheet = (Path(client.application.static_folder) / "style.css").read_text()
    assert "font-family" not in stylesheet.replace("font: inherit", "")
