"""The family preparedness plan (issue 21): a page in every locale that keeps what the reader types
on the phone (nothing sent, nothing stored until "Keep", one "Delete"), an emergency message for the
phone's own messages app, and links where the guides ask families to prepare."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from browser import new_phone_page
from support import LOCALES, html

PLAN = "/{}/plan"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_plan_page_holds_no_form_that_could_send_what_is_typed(client, locale):
    response = client.get(PLAN.format(locale))
    assert response.status_code == 200
    assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
    doc = html(response)
    assert doc.html["lang"] == locale and doc.html["dir"] in ("ltr", "rtl")
    box = doc.select_one("[data-plan]")
    assert box is not None and box.has_attr("hidden"), "shown by plan.js only"
    assert doc.select("main form") == [], "nothing to submit"
    fields = box.select("input, textarea")
    assert len(fields) >= 15
    assert all(not field.has_attr("name") for field in fields), "an input with a name could reach a URL"
    assert all(field.get("autocomplete") == "off" for field in fields if field.get("type") != "checkbox")
    # what a reader types runs in its own direction (a Latin name in an Arabic plan, Arabic in English)
    assert all(field.get("dir") in ("auto", "ltr") for field in fields if field.get("type") != "date"), \
        [field["id"] for field in fields if field.get("dir") not in ("auto", "ltr")]
    # without JavaScript, the plan to print and fill in by hand
    links = [a["href"] for a in doc.select(".plan-paper a")]
    assert links == [f"/{locale}/plan.pdf", f"/{locale}/plan.pdf?paper=a4"]
    assert doc.select_one('script[src^="/static/plan.js"]') is not None


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_the_plan_is_linked_from_home_the_family_section_and_the_offline_page(client, locale):
    plan = PLAN.format(locale)
    assert html(client.get(f"/{locale}/")).select_one(f'a[href="{plan}"]') is not None
    section = html(client.get(f"/{locale}/guides/ice-encounters")).select_one("#prepare-your-family")
    assert section.select_one(f'a[href="{plan}"]') is not None
    assert html(client.get(f"/{locale}/offline")).select_one(f'a[href="{plan}"]') is not None
    saved = client.get(f"/{locale}/offline.json").get_json()
    assert plan in saved["core"] and f"/{locale}/plan.pdf" in saved["all"] and f"/{locale}/plan.pdf?paper=a4" in saved["all"]


def test_staying_safe_says_where_a_kept_plan_is_and_who_can_read_it(client):
    text = html(client.get("/en/staying-safe")).select_one("#family-plan").find_next("p").get_text()
    assert "Keep on this phone" in text and "anyone who can open the phone can read it" in text


def test_the_deployments_hotline_is_filled_in(built, tmp_path):
    from support import make_app
    app = make_app(tmp_path, MAI_DATABASE=built.config["MAI_DATABASE"], MAI_HOTLINE="(312) 555-0199")
    doc = html(app.test_client().get("/es/plan"))
    assert doc.select_one("#plan-hotline-phone")["value"] == "(312) 555-0199"


# --- in a browser ----------------------------------------------------------------------------------

TYPED = {"trusted-name": "Rosa Quintero", "trusted-phone": "+1 312 555 0147", "lawyer-name": "Abogada Lima",
         "lawyer-phone": "(312) 555-0148", "pickup-name": "Tío Beto", "pickup-phone": "312.555.0149",
         "school": "Escuela Roble 7788", "papers": "Caja azul 4411", "proof": "Carpeta roja 5522",
         "medicines": "Insulina 6633", "a-numbers": "A-123-456-789", "money": "Cuenta 9944",
         "reviewed": "2026-12-07"}
MESSAGE = "Me detuvieron. Llama a la abogada 7070 & cuida a los niños."


def fill(page) -> None:
    for field, value in TYPED.items():
        page.fill(f'[data-field="{field}"]', value)
    page.fill('[data-field="message"]', MESSAGE)


def secrets() -> list[str]:
    """What was typed, as it could travel: plain, URL-encoded, digits only."""
    values = [*TYPED.values(), MESSAGE]
    found = set(values) | {quote(v) for v in values} | {quote(v, safe="") for v in values}
    found |= {"".join(c for c in v if c.isdigit()) for v in values if sum(c.isdigit() for c in v) >= 7}
    return sorted(found - {"", "20261207"})  # the date's digits are also the content's last check


@pytest.mark.parametrize("locale", ["en", "ar", "zh-Hans"])
def test_a_plan_filled_on_the_phone_prints_in_order_and_leaves_nothing_behind(server, browser, locale):
    base, _log = server
    with new_phone_page(browser, javascript=True) as page:
        requests = []
        page.context.on("request", lambda request: requests.append((request.url, request.post_data or "")))
        page.goto(f"{base}/{locale}/plan")
        page.wait_for_selector("[data-plan]:not([hidden])")
        fill(page)
        # the print view shows every value, in the order of the plan
        shown = page.eval_on_selector_all("[data-plan-view-body] dd", "nodes => nodes.map(n => [n.dataset.value, n.textContent])")
        expected = [("trusted", "Rosa Quintero · +1 312 555 0147"), ("lawyer", "Abogada Lima · (312) 555-0148"),
                    ("hotline", ""), ("pickup", "Tío Beto · 312.555.0149"), ("school", TYPED["school"]),
                    ("papers", TYPED["papers"]), ("proof", TYPED["proof"]), ("medicines", TYPED["medicines"]),
                    ("a-numbers", TYPED["a-numbers"]), ("money", TYPED["money"]), ("reviewed", TYPED["reviewed"])]
        assert [tuple(pair) for pair in shown] == expected
        assert page.evaluate("localStorage.length + sessionStorage.length") == 0, "nothing stored before Keep"
        # the emergency message: the phone's own messages app, the chosen numbers and the words
        boxes = page.locator("[data-sms-contacts] input[type=checkbox]")
        assert boxes.count() == 3  # the trusted person, the lawyer, who picks up the children
        boxes.nth(0).check()
        boxes.nth(2).check()
        href = page.get_attribute("[data-sms]", "href")
        # every number in E.164, as phonenumbers writes it: the message reaches it from abroad too
        assert href == "sms:+13125550147,+13125550149?body=" + quote(MESSAGE, safe="-_.!~*'()")
        # a number that cannot be one is flagged and offered to no message: letters, and a US
        # exchange that starts with 0 (ten digits, but no such number: the library's rules say so)
        for wrong in ("12ab", "(312) 055-0148"):
            page.fill('[data-field="lawyer-phone"]', wrong)
            assert page.is_visible('[data-item="lawyer"] [data-phone-error]'), wrong
            assert page.locator("[data-sms-contacts] input[type=checkbox]").count() == 2
        page.fill('[data-field="lawyer-phone"]', TYPED["lawyer-phone"])
        # Keep, after the warning; then the plan is there after a reload
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("[data-plan-keep]")
        kept = json.loads(page.evaluate("localStorage.getItem('mai-plan')"))
        assert kept["school"] == TYPED["school"] and kept["send-to"] == ["trusted", "pickup"]
        page.reload()
        page.wait_for_selector("[data-plan]:not([hidden])")
        assert page.input_value('[data-field="proof"]') == TYPED["proof"]
        # Delete empties the storage and the page
        page.click("[data-plan-delete]")
        assert page.evaluate("localStorage.length + sessionStorage.length") == 0
        assert page.input_value('[data-field="proof"]') == ""
        assert page.evaluate("caches.keys().then(async names => { for (const n of names) { for (const r of await (await caches.open(n)).keys()) { if (r.url.includes('Quintero')) return true; } } return false; })") is False
    sent = "\n".join(f"{url} {body}" for url, body in requests)
    assert requests and all(url.startswith(base) for url, _body in requests), "no other site"
    leaked = [secret for secret in secrets() if secret in sent]
    assert leaked == [], leaked


def test_a_declined_warning_keeps_nothing(server, browser):
    base, _log = server
    with new_phone_page(browser, javascript=True) as page:
        page.goto(f"{base}/en/plan")
        page.wait_for_selector("[data-plan]:not([hidden])")
        page.fill('[data-field="school"]', "Oak School")
        page.once("dialog", lambda dialog: dialog.dismiss())
        page.click("[data-plan-keep]")
        assert page.evaluate("localStorage.length") == 0


def test_without_javascript_the_page_offers_the_plan_to_print(server, phone):
    base, _log = server
    phone.goto(f"{base}/es/plan")
    assert not phone.is_visible("[data-plan]")
    assert phone.is_visible('.plan-paper a[href="/es/plan.pdf"]')


NUMBERS = ["(312) 555-0147", "312.555.0149", "1 312 555 0147", "+1 (312) 555-0147", "(312) 055-0148",
           "(312) 155-0148", "(112) 555-0148", "312 555 014", "312 555 01477", "+52 55 1234 5678", "+44 20 7946 0958",
           "911", "0", "", "800 555 0199", "+1 800 555 0199", "abc", "+999 1234 5678"]


def test_the_phone_checks_numbers_as_the_hotline_is_checked(server, browser, built, tmp_path):
    """The plan page carries phonenumbers' own rules for the deployment's region (MAI_PHONE_REGION):
    plan.js accepts a number written as people dial it at home exactly when phonenumbers does, and
    writes it in E.164 as phonenumbers does. A number with another country's code gets E.164's
    bounds only (the rules of every country would weigh more than the page)."""
    import phonenumbers
    base, _log = server
    with new_phone_page(browser, javascript=True) as page:
        page.goto(f"{base}/en/plan")
        page.wait_for_selector("[data-plan]:not([hidden])")
        for number in NUMBERS:
            page.fill('[data-field="trusted-phone"]', number)
            flagged = page.is_visible('[data-item="trusted"] [data-phone-error]')
            offered = page.locator("[data-sms-contacts] input[type=checkbox]").count() == 1
            try:
                parsed = phonenumbers.parse(number, "US")
                valid = phonenumbers.is_valid_number(parsed)
                if number.startswith("+") and not number.startswith("+1"):  # another country: a known
                    valid = 8 <= sum(c.isdigit() for c in number) <= 15  # code (parsed) and E.164's bounds
            except phonenumbers.NumberParseException:  # +999: no such country code
                valid = False
            assert offered == valid and flagged == (bool(number) and not valid), number
            if valid:
                page.locator("[data-sms-contacts] input[type=checkbox]").check()
                expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
                assert page.get_attribute("[data-sms]", "href") == f"sms:{expected}", number
                page.locator("[data-sms-contacts] input[type=checkbox]").uncheck()


@pytest.mark.parametrize("locale", ["en", "ar", "zh-Hans"])
def test_the_phone_prints_only_the_filled_plan_every_value_in_order(server, browser, locale):
    """What the browser's own print (or "save as PDF") makes of the page, read back with pdfplumber:
    the filled plan alone (no form, no site header), every value whole and in the plan's order."""
    import io

    import pdfplumber
    base, _log = server
    with new_phone_page(browser, javascript=True) as page:
        page.goto(f"{base}/{locale}/plan")
        page.wait_for_selector("[data-plan]:not([hidden])")
        fill(page)
        # in the list of contacts to message, each number is one left-to-right line, never broken
        # (at 360 px, "(312) 555-0199" once wrapped after "555-" in Chinese and after "(312)" in Arabic)
        numbers = page.eval_on_selector_all("[data-sms-contacts] bdi.phone", """nodes => nodes.map(n =>
            [n.textContent, getComputedStyle(n).direction, n.getClientRects().length])""")
        assert [tuple(n) for n in numbers] == [(TYPED[f"{who}-phone"], "ltr", 1) for who in ("trusted", "lawyer", "pickup")]
        # the English sentences to say stay left to right in the print view of a right-to-left plan
        english = page.eval_on_selector_all("[data-plan-view-body] p[lang=en]", "ps => ps.map(p => getComputedStyle(p).direction)")
        assert english and set(english) == {"ltr"}
        page.emulate_media(media="print")
        assert not page.is_visible("[data-plan]") and page.is_visible("[data-plan-view]")
        data = page.pdf(width="360px", height="740px")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        printed = "\n".join(p.extract_text() or "" for p in pdf.pages)
    squeezed = "".join(printed.split())
    places = []
    for field in ("trusted-name", "lawyer-name", "pickup-name", "school", "papers", "proof", "medicines",
                  "a-numbers", "money"):
        value = "".join(TYPED[field].split())
        assert value in squeezed, (field, printed)
        places.append(squeezed.index(value))
    assert places == sorted(places), "the plan's order"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert 1 <= len(pdf.pages) <= 8
    if locale == "en":  # the form, its buttons and the links to the paper plan are not printed
        for left_out in ("Fill it in on this phone", "Keep on this phone", "Print the plan and fill it in by hand"):
            assert "".join(left_out.split()) not in squeezed, left_out
