"""/translate/ on a 360 px phone without JavaScript: every language's table fits, opened."""
from __future__ import annotations


def test_translate_page_fits_a_phone(server, phone):
    base, _log = server
    for language in ("en", "ar"):
        phone.set_extra_http_headers({"Accept-Language": language})
        phone.goto(f"{base}/translate/")
        for summary in phone.locator(".locale-status summary").all()[:4]:
            summary.click()  # <details> opens without JavaScript
        assert phone.locator(".locale-status table.status").first.is_visible()
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/translate/ ({language}) is {overflow}px wider than the phone"
        widest = phone.evaluate("Math.max(...[...document.querySelectorAll('table.status')]"
                                ".map(t => t.scrollWidth - t.parentElement.clientWidth))")
        assert widest <= 0, f"a status table is {widest}px wider than its block"
