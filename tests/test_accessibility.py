"""axe-core (Deque's accessibility engine, shipped in the axe-playwright-python package) over every
template, in a real Chromium, in English, Arabic, Chinese, Urdu and Amharic: zero WCAG violations.
Screenshots of every template in en, ar, ur and zh-Hans are written for people to look at."""
from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from browser import PHONE

from mai_guides import ROOT

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
TEMPLATES = {"home": "/", "guide": "/guides/ice-encounters", "news-list": "/news/",
             "news-post": "/news/labor-and-allies-force-puzder-withdrawal", "search": "/search?q=ICE",
             "about": "/about", "print": "/print", "staying-safe": "/staying-safe", "plan": "/plan",
             "not-found": "/no-such-page",
             "speak": "/speak/ice-encounters"}
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture()
def axe_page(browser):
    """A phone page where axe can be injected (the site's CSP rightly forbids inline scripts,
    so only this test's context bypasses it)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, bypass_csp=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]]


@pytest.mark.parametrize("locale", ["en", "ar", "zh-Hans", "ur", "am"])
def test_every_template_has_no_wcag_violations(server, axe_page, locale):
    base, _log = server
    found = {}
    for name, path in TEMPLATES.items():
        axe_page.goto(f"{base}/{locale}{path}")
        problems = violations(axe_page)
        if problems:
            found[name] = problems
        if locale in ("en", "ar", "ur", "zh-Hans"):
            SCREENSHOTS.mkdir(exist_ok=True)
            axe_page.screenshot(path=str(SCREENSHOTS / f"{locale}-{name}.png"), full_page=True)
    assert found == {}


def test_translation_status_page_has_no_wcag_violations(server, axe_page):
    base, _log = server
    axe_page.goto(f"{base}/translate/")
    assert violations(axe_page) == []
