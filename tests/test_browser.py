"""What only a browser shows: layout on a 360 px phone without JavaScript, in every locale."""
from __future__ import annotations

import pytest
from browser import phone_page
from support import LOCALES, RTL

PAGES = ["/", "/guides/ice-encounters", "/guides/reporting-ice-activity", "/news/"]




@pytest.mark.parametrize("locale", LOCALES)
def test_pages_fit_a_phone_without_javascript(server, locale):
    base, _log = server
    with phone_page(javascript=False) as page:
        for path in PAGES:
            page.goto(f"{base}/{locale}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{locale}{path} is {overflow}px wider than the phone"
            assert page.evaluate("document.documentElement.dir") == ("rtl" if locale in RTL else "ltr")
            assert page.locator("h1").first.is_visible()


def test_rtl_layout_is_mirrored(server):
    base, _log = server
    with phone_page(javascript=False) as page:
        page.goto(f"{base}/ar/guides/ice-encounters")
        exit_box = page.locator(".quick-exit").bounding_box()
        brand_box = page.locator(".brand").bounding_box()
        assert exit_box["x"] < brand_box["x"], "in Arabic the quick-exit button sits on the left"


def platform_fonts(page, selector: str) -> set[str]:
    """The font files Chromium really drew an element's text with (DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] for font in fonts}


@pytest.mark.parametrize("locale, face", [("zh-Hans", "Noto Sans CJK SC"), ("zh-Hant", "Noto Sans CJK TC"),
                                          ("ko", "Noto Sans CJK KR"), ("ur", "Noto Nastaliq Urdu"),
                                          ("ar", "Noto Naskh Arabic"), ("am", "Noto Sans Ethiopic")])
def test_each_script_is_drawn_in_its_readers_face(server, locale, face):
    base, _log = server
    with phone_page(javascript=False) as page:
        page.goto(f"{base}/{locale}/guides/ice-encounters")
        assert face in platform_fonts(page, "main h1")


@pytest.mark.parametrize("guide", ["ice-encounters", "reporting-ice-activity"])
def test_first_say_this_line_is_on_the_first_phone_screen_in_every_locale(server, guide):
    """On a 360 x 740 screen, the first line of "What to do now" shows without scrolling."""
    base, _log = server
    with phone_page(javascript=False) as page:
        for locale in LOCALES:
            page.goto(f"{base}/{locale}/guides/{guide}")
            first = page.locator("#what-to-do-now li").first.bounding_box()
            assert first is not None, locale
            assert first["y"] + first["height"] <= 740, f"{locale}: first line ends at {first['y'] + first['height']}px"
