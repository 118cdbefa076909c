"""The family preparedness plan: its sections and fields, once, for the page filled in on the phone
(web/plan.py, templates/plan.html) and the plan printed to fill in by hand (pdf/documents.py,
templates/pdf/plan.html). The sections are the ones the guides name ("Prepare your family")."""
from __future__ import annotations

from flask_babel import gettext as _

PLAN_SLUG = "family-plan"  # the printed plan's name in file names and cache keys
PHRASES_FROM = "ice-encounters"  # the card whose English officer side gives "What to say"
LOCATOR_URL = "https://locator.ice.gov/"
# Ruled lines on paper for each written field; a contact is a name and a phone number.
CONTACT = "contact"


def sections() -> list[dict]:
    """Every section of the plan in order: id, title and fields (id, kind, label, ruled lines), in
    the current locale. Field ids name the phone's inputs and what "Keep on this phone" stores."""
    return [
        # Translators: the family plan, heading of the section about who to call
        {"id": "call", "title": _("Who to call"), "fields": [
            _contact("trusted", _("A trusted person")),
            _contact("lawyer", _("A lawyer")),
            _contact("hotline", _("The local rapid-response hotline"))]},
        # Translators: the family plan, heading of the section about who takes care of the children
        {"id": "children", "title": _("The children"), "fields": [
            _contact("pickup", _("Who picks up the children")),
            _text("school", _("School: name, phone and address"), 2)]},
        # Translators: the family plan, heading of the section about where papers are kept
        {"id": "documents", "title": _("Documents"), "fields": [
            _text("papers", _("Where our papers are kept"), 2),
            # Translators: the family plan; proof of two years in the US can stop a removal without a hearing
            _text("proof", _("Where our proof of two years in the US is (leases, bills, school or medical records, pay stubs)"), 2)]},
        {"id": "health", "title": _("Medicines and doctors"), "fields": [
            _text("medicines", _("Medicines, doses and the doctor's phone"), 3)]},
        # Translators: the family plan; an A-number is the number immigration gives a person's file
        {"id": "a-numbers", "title": _("A-numbers and the detainee locator"), "fields": [
            _text("a-numbers", _("Each person's name and A-number"), 4)]},
        {"id": "money", "title": _("Money and bills"), "fields": [
            _text("money", _("Who pays rent and bills, and who can reach our money"), 3)]},
    ]


def _contact(field_id: str, label: str) -> dict:
    return {"id": field_id, "kind": CONTACT, "label": label, "lines": 1}


def _text(field_id: str, label: str, lines: int) -> dict:
    return {"id": field_id, "kind": "text", "label": label, "lines": lines}
