"""The legal-terms glossary as TBX (TermBase eXchange), for Weblate's and Crowdin's glossaries.

One `termEntry` per term: its English forms, then each locale's approved renderings, written as
the glossary lists them. Shared: `flask mai i18n glossary --tbx FILE` writes it from the glossary
file, `/translate/<locale>.tbx` from the built database; translate-toolkit (which Weblate uses to
read TBX) reads it back in the tests.
"""
from __future__ import annotations

from xml.etree import ElementTree as ET

from .registry import SOURCE_LOCALE

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def glossary_tbx(terms, codes: list[str]) -> bytes:
    """TBX bytes: every term (`key`, English `words`, `shown`: locale -> renderings), in English
    and in each of `codes` that has a rendering of it."""
    root = ET.Element("martif", {"type": "TBX", XML_LANG: SOURCE_LOCALE})
    header = ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = (
        "MAI Guides legal-terms glossary (translations/glossary.toml): the approved rendering of each "
        "key legal term; a translation of a text with the English term must use one of them")
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for term in terms:
        entry = ET.SubElement(body, "termEntry", {"id": term.key})
        _lang_set(entry, SOURCE_LOCALE, term.words)
        for code in codes:
            if term.shown.get(code):
                _lang_set(entry, code, term.shown[code])
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _lang_set(entry: ET.Element, code: str, words) -> None:
    lang_set = ET.SubElement(entry, "langSet", {XML_LANG: code})
    for word in words:
        ET.SubElement(ET.SubElement(lang_set, "tig"), "term").text = word
