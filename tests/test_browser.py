"""What only a browser shows: layout on a 360 px phone without JavaScript, in every locale."""
from __future__ import annotations

import fcntl
import json

import pytest
from browser import new_phone_page
from support import LOCALES, RTL

PAGES = ["/", "/guides/ice-encounters", "/guides/reporting-ice-activity", "/news/"]
GUIDES = ["ice-encounters", "reporting-ice-activity"]


# The bottom of the first "What to do now" line with words to say to an agent: in a translation the
# one quoting English (marked lang="en"), in English the first with a quotation.
FIRST_QUOTE = """(() => {
    const english = document.documentElement.lang === 'en';
    const line = [...document.querySelectorAll('#what-to-do-now li')]
        .find(li => english ? li.textContent.includes('"') : li.querySelector('[lang="en"]'));
    return line ? line.getBoundingClientRect().bottom : null; })()"""


@pytest.fixture(scope="session")
def measured(server, browser, run_folder):
    """Each page of each locale loaded once per run on a 360 x 740 phone without JavaScript, and
    what the tests below read from it: a page load costs a third of a CPU second in Chromium, and
    the guide pages are wanted by both tests. Whichever xdist worker asks first loads the page and
    writes what it saw to the run's folder (under a lock per page); the other reads it there."""
    base, _log = server
    folder = run_folder / "phone-pages"
    folder.mkdir(exist_ok=True)

    def load(phone, locale: str, path: str) -> dict:
        phone.goto(f"{base}/{locale}{path}")
        first = phone.locator("#what-to-do-now li").first
        guide = path.startswith("/guides/")
        return {"overflow": phone.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
                "dir": phone.evaluate("document.documentElement.dir"),
                "h1_visible": phone.locator("h1").first.is_visible(),
                "first_say": first.bounding_box() if guide else None,
                "first_quote": phone.evaluate(FIRST_QUOTE) if guide else None}

    with new_phone_page(browser, javascript=False) as phone:
        def measure(locale: str, path: str) -> dict:
            seen = folder / f"{locale}{path.replace('/', '_')}.json"
            with open(seen.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not seen.exists():
                    seen.write_text(json.dumps(load(phone, locale, path)))
                return json.loads(seen.read_text())
        yield measure


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_fit_a_phone_without_javascript(measured, locale):
    for path in PAGES:
        page = measured(locale, path)
        assert page["overflow"] <= 0, f"{locale}{path} is {page['overflow']}px wider than the phone"
        assert page["dir"] == ("rtl" if locale in RTL else "ltr")
        assert page["h1_visible"]


@pytest.mark.parametrize("guide", GUIDES)
def test_first_say_this_line_is_on_the_first_phone_screen_in_every_locale(measured, guide):
    """On a 360 x 740 screen, the first line of "What to do now" shows without scrolling."""
    for locale in LOCALES:
        first = measured(locale, f"/guides/{guide}")["first_say"]
        assert first is not None, locale
        assert first["y"] + first["height"] <= 740, f"{locale}: first line ends at {first['y'] + first['height']}px"


def test_first_words_to_say_are_on_the_first_phone_screen_in_every_locale(measured):
    """The first "Say: ..." line of the home guide, English words included, ends on a 360 x 740
    screen in every language (Urdu's ended at 772 px: its title now takes one line)."""
    ends = {}
    for locale in LOCALES:
        ends[locale] = measured(locale, "/guides/ice-encounters")["first_quote"]
    assert all(ends.values()), [locale for locale, end in ends.items() if not end]
    assert {locale: end for locale, end in ends.items() if end > 740} == {}, ends


def test_rtl_layout_is_mirrored(server, phone):
    base, _log = server
    phone.goto(f"{base}/ar/guides/ice-encounters")
    exit_box = phone.locator(".quick-exit").bounding_box()
    brand_box = phone.locator(".brand").bounding_box()
    assert exit_box["x"] < brand_box["x"], "in Arabic the quick-exit button sits on the left"


def platform_fonts(phone, selector: str) -> set[str]:
    """The font files Chromium really drew an element's text with (DevTools protocol)."""
    session = phone.context.new_cdp_session(phone)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] for font in fonts}


@pytest.mark.parametrize("locale, face", [("zh-Hans", "Noto Sans CJK SC"), ("zh-Hant", "Noto Sans CJK TC"),
                                          ("ko", "Noto Sans CJK KR"), ("ur", "Noto Nastaliq Urdu"),
                                          ("ar", "Noto Naskh Arabic"), ("am", "Noto Sans Ethiopic")])
def test_each_script_is_drawn_in_its_readers_face(server, phone, locale, face):
    base, _log = server
    phone.goto(f"{base}/{locale}/guides/ice-encounters")
    assert face in platform_fonts(phone, "main h1")


def test_print_form_checkboxes_line_up_in_both_directions(server, phone):
    """Arabic and Urdu names in an English form (and Latin names in an Arabic one) keep their
    checkbox on the page's side of the label, like every other language."""
    base, _log = server
    for locale in ("en", "ar"):
        phone.goto(f"{base}/{locale}/print")
        offsets = phone.evaluate("""rtl => [...document.querySelectorAll('form.print .choices label')].map(label => {
            const l = label.getBoundingClientRect(), c = label.querySelector('input').getBoundingClientRect();
            return Math.round(rtl ? l.right - c.right : c.left - l.left); })""", locale == "ar")
        assert len(set(offsets)) == 1, (locale, offsets)


def _char_box(page, selector: str, text: str, char_index: int) -> dict:
    """The on-screen box of one character of the first element matching selector that holds text."""
    return page.evaluate("""([selector, text, index]) => {
        for (const el of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let offset = 0, node;
            const full = el.textContent, at = full.indexOf(text);
            if (at < 0) continue;
            const target = at + index;
            while ((node = walker.nextNode())) {
                if (target < offset + node.length) {
                    const range = document.createRange();
                    range.setStart(node, target - offset); range.setEnd(node, target - offset + 1);
                    const r = range.getBoundingClientRect();
                    return {x: r.x, right: r.right, y: r.y};
                }
                offset += node.length;
            }
        }
        return null; }""", [selector, text, char_index])


def test_bidi_cases_measured_on_screen(server, phone):
    """In Arabic the full stop after "I-407" sits left of it; "lawyer?" typed into search keeps
    its question mark on the right; form numbers are drawn on one line."""
    base, _log = server
    phone.goto(f"{base}/ar/guides/ice-encounters")
    text = phone.evaluate("""() => [...document.querySelectorAll('main li')].map(e => e.textContent)
        .find(t => t.includes('I-407.'))""")
    assert text, "the Arabic item with 'I-407.' (Do not sign Form I-407.)"
    number = _char_box(phone, "main li", "I-407.", 0)
    full_stop = _char_box(phone, "main li", "I-407.", 5)
    assert abs(number["y"] - full_stop["y"]) < 5, "the number and its full stop share a line"
    assert full_stop["right"] <= number["x"] + 1, ("the full stop is left of I-407 in Arabic", number, full_stop)
    lines = phone.evaluate("[...document.querySelectorAll('main span.nobr')].map(e => e.getClientRects().length)")
    assert lines and set(lines) == {1}, lines
    phone.goto(f"{base}/ar/search?q=lawyer%3F")
    word = _char_box(phone, "main h2 bdi", "lawyer?", 0)
    mark = _char_box(phone, "main h2 bdi", "lawyer?", 6)
    assert mark["x"] > word["x"], "the question mark stays after the word, on its right"


@pytest.mark.parametrize("locale", ["en", "ar", "ur"])
def test_footer_and_language_links_are_big_enough_to_tap(server, phone, locale):
    """WCAG 2.5.5: every footer and language link is at least 44 px tall."""
    base, _log = server
    phone.goto(f"{base}/{locale}/")
    heights = phone.evaluate("""[...document.querySelectorAll('footer.site a, header.site a')]
        .map(a => [a.textContent.trim(), a.getBoundingClientRect().height])""")
    small = [(text, height) for text, height in heights if height < 44]
    assert heights and small == [], small
