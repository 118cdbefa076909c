"""What only a browser shows: layout on a 360 px phone without JavaScript, in every locale."""
from __future__ import annotations

import pytest

from browser import phone_page
from conftest import LOCALES, RTL
from test_server import server  # noqa: F401  (fixture)

PAGES = ["/", "/guides/ice-encounters", "/guides/reporting-ice-activity", "/news/"]




@pytest.mark.parametrize("locale", LOCALES)
def test_pages_fit_a_phone_without_javascript(server, locale):  # noqa: F811
    base, _log = server
    with phone_page(javascript=False) as page:
        for path in PAGES:
            page.goto(f"{base}/{locale}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{locale}{path} is {overflow}px wider than the phone"
            assert page.evaluate("document.documentElement.dir") == ("rtl" if locale in RTL else "ltr")
            assert page.locator("h1").first.is_visible()


def test_rtl_layout_is_mirrored(server):  # noqa: F811
    base, _log = server
    with phone_page(javascript=False) as page:
        page.goto(f"{base}/ar/guides/ice-encounters")
        exit_box = page.locator(".quick-exit").bounding_box()
        brand_box = page.locator(".brand").bounding_box()
        assert exit_box["x"] < brand_box["x"], "in Arabic the quick-exit button sits on the left"
