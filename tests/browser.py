"""Headless Debian Chromium through Playwright (no browser download: executable_path)."""
from __future__ import annotations

import shutil
from contextlib import contextmanager

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is missing: run `make deps` (CI must not skip browser tests)"
    return path


@contextmanager
def chromium():
    """One headless Chromium, for as many pages as the caller opens."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_phone_page(browser, javascript: bool = True):
    """A 360x740 page in a fresh context (no shared cookies, cache or storage). One device pixel
    per CSS pixel: the tests measure layout in CSS pixels, which a phone's pixel density does not
    change, and Chromium draws a quarter of the pixels (a third less time per page)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, java_script_enabled=javascript)
    try:
        yield context.new_page()
    finally:
        context.close()


@contextmanager
def phone_page(javascript: bool = True):
    """A 360x740 page in its own headless Chromium (scripts; tests share one browser)."""
    with chromium() as browser, new_phone_page(browser, javascript) as page:
        yield page
