"""Every mistake in one pass (issue 23 item 2): a spoiled Spanish catalog pair with eight kinds of
mistake is reported whole by one run of `i18n check` and by one run of the build, each mistake
exactly once with file:line; an encoding problem is one message per file that names it."""
from __future__ import annotations

import re

import polib
import pytest
from support import copy_app, keep_only_locales, po_file


def run(app, *args):
    return app.test_cli_runner().invoke(args=["mai", *args])


def replace_msgstr(text: str, msgid: str, new_line: str) -> tuple[str, int]:
    """Replace the msgstr line after `msgid "..."`; returns the text and the msgstr's line."""
    pattern = re.compile(rf'^(msgid "{re.escape(msgid)}"\n)msgstr ".*"$', re.M)
    match = pattern.search(text)
    assert match, msgid
    line = text[:match.start()].count("\n") + 2
    return text[:match.start()] + match[1] + new_line + text[match.end():], line


def spoil(project) -> dict[str, tuple]:
    """Eight kinds of mistake in Spanish; kind -> (file, line of the entry, words of the message)."""
    ui, content = po_file(project, "es", "messages"), po_file(project, "es", "content")
    text = ui.read_text(encoding="utf-8")
    text, syntax = replace_msgstr(text, "Translation checked: %(date)s", 'msgtsr "Traducción revisada: %(date)s"')
    text, placeholder = replace_msgstr(text, "English text last checked: %(date)s",
                                       'msgstr "Texto en inglés revisado: %(fecha)s"')
    text, markup = replace_msgstr(text, "Quick exit", 'msgstr "<b>Salida</b> rápida"')
    plural_form = 'msgstr[2] "Shift: presione %(num)d veces más para salir."\n'
    plural = text[:text.index(plural_form)].count("\n") - 1  # the entry's first form
    text = text.replace(plural_form, "", 1)
    duplicate = text.count("\n") + 2
    text += '\nmsgid "Choose a format from the list."\nmsgstr "Elija un formato."\n'
    data = text.encode("utf-8")
    old = 'msgstr "Elija un formato de la lista."'.encode()
    encoding = data[:data.index(old)].count(b"\n") + 1
    data = data.replace(old, 'msgstr "Elija un formato de la lista, señor."'.encode("latin-1"), 1)
    ui.write_bytes(data)

    text = content.read_text(encoding="utf-8")
    catalog = polib.pofile(str(content))
    linked = next(e for e in catalog if "](https://locator.ice.gov)" in e.msgstr)
    text, link = replace_msgstr(text, linked.msgid, 'msgstr "' + linked.msgstr.replace(
        "](https://locator.ice.gov)", "](https://example.com/other)") + '"')
    card = catalog.find("Do not open the door.")
    text, overflow = replace_msgstr(text, card.msgid, 'msgstr "' + " ".join([card.msgstr] * 60) + '"')
    content.write_text(text, encoding="utf-8")
    return {"syntax": (ui, syntax, "not valid gettext"), "encoding": (ui, encoding, "Latin-1"),
            "placeholder": (ui, placeholder, "%(fecha)s"), "markup": (ui, markup, "HTML tags"),
            "plural": (ui, plural, "plural"), "duplicate": (ui, duplicate, "two entries"),
            "link": (content, link, "links differ"), "card": (content, overflow, "wallet card")}


def assert_each_once(output: str, expected: dict) -> None:
    lines = [line for line in output.splitlines() if re.match(r"^\S+\.po:\d+: ", line)]
    for kind, (path, line, words) in expected.items():
        found = [entry for entry in lines if words in entry]
        assert len(found) == 1, (kind, found, output)
        assert re.match(rf"^{re.escape(str(path))}:{line - 1}:|^{re.escape(str(path))}:{line}:", found[0]) \
            or found[0].startswith(f"{path}:{line + 1}:"), (kind, line, found[0])
    assert len(lines) == len(expected), output  # nothing reported twice, nothing extra


def test_eight_kinds_of_mistake_are_each_reported_once_by_check_and_by_build(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    app = copy_app(project_copy)
    expected = spoil(project_copy)
    check = run(app, "i18n", "check")
    assert check.exit_code != 0
    assert_each_once(check.output, expected)
    assert "cut about" in check.output, check.output  # how much to cut from the card line
    build = run(app, "build", "--no-pdfs")
    assert build.exit_code != 0
    assert_each_once(build.output, expected)
    assert not (project_copy / "mai.db").exists()  # nothing published


@pytest.mark.parametrize("kind, words", [
    ("latin-1", "Latin-1"), ("bom", "byte-order mark"), ("crlf", "CRLF")])
def test_an_encoding_problem_is_one_message_naming_it(project_copy, kind, words):
    keep_only_locales(project_copy, ["en", "es"])
    app = copy_app(project_copy)
    po = po_file(project_copy, "es", "content")
    text = po.read_text(encoding="utf-8")
    data = {"latin-1": text.encode("latin-1", errors="replace"), "bom": b"\xef\xbb\xbf" + text.encode(),
            "crlf": text.replace("\n", "\r\n").encode()}[kind]
    po.write_bytes(data)
    result = run(app, "i18n", "check")
    assert result.exit_code != 0
    reported = [line for line in result.output.splitlines() if line.startswith(f"{po}:")]
    assert len(reported) == 1, result.output
    assert words in reported[0] and "save" in reported[0].lower(), reported[0]


def test_a_card_that_shrinks_below_body_size_is_a_warning(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    app = copy_app(project_copy)
    content = po_file(project_copy, "es", "content")
    text = content.read_text(encoding="utf-8")
    card = polib.pofile(str(content)).find("Do not open the door.")
    text, line = replace_msgstr(text, card.msgid, 'msgstr "' + " ".join([card.msgstr] * 6) + '"')
    content.write_text(text, encoding="utf-8")
    result = run(app, "build", "--no-pdfs")
    assert result.exit_code == 0, result.output
    assert "warning" in result.output.lower() and "smaller than" in result.output, result.output
