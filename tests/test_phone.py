"""What a reader in trouble needs on a phone, proved in a real browser (Debian's Chromium):
reading offline after one visit, a quick exit that leaves no way Back, a header that stays."""
from __future__ import annotations

import pytest
from browser import new_phone_page
from support import html

NEUTRAL = "https://www.google.com/"


@pytest.fixture()
def js_phone(browser):
    """A phone with JavaScript on; the neutral site the quick exit goes to is answered locally
    (this machine has no network, and a test must not depend on one)."""
    with new_phone_page(browser, javascript=True) as page:
        page.context.route(f"{NEUTRAL}**", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Neutral</title><p>neutral page</p>"))
        yield page


def offline_ready(page, url: str) -> bool:
    return page.evaluate("""async (url) => {
        const names = await caches.keys();
        for (const name of names) { if (await (await caches.open(name)).match(url)) return true; }
        return false; }""", url)


def wait_for(page, condition, what: str, tries: int = 100) -> None:
    for _ in range(tries):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def test_after_one_visit_both_guides_news_and_cards_open_offline(server, js_phone):
    base, _log = server
    js_phone.goto(f"{base}/es/")
    for path in ["/es/guides/ice-encounters", "/es/guides/reporting-ice-activity", "/es/news/",
                 "/es/cards/ice-encounters.pdf", "/es/cards/reporting-ice-activity.pdf"]:
        wait_for(js_phone, lambda path=path: offline_ready(js_phone, path), f"{path} in the offline cache")
    js_phone.context.set_offline(True)
    try:
        js_phone.goto(f"{base}/es/guides/reporting-ice-activity")
        assert js_phone.locator("#what-to-do-now li").first.is_visible()
        assert js_phone.evaluate("document.documentElement.lang") == "es"
        js_phone.goto(f"{base}/es/news/")
        assert js_phone.locator("main h1").is_visible()
        card = js_phone.evaluate("""async () => { const r = await fetch('/es/cards/ice-encounters.pdf');
                                     const b = new Uint8Array(await r.arrayBuffer());
                                     return [r.status, String.fromCharCode(...b.slice(0, 5))]; }""")
        assert card == [200, "%PDF-"]
        search = js_phone.evaluate("fetch('/es/search?q=abogado').then(() => 'answered', () => 'refused')")
        assert search == "refused", "search pages are never stored"
    finally:
        js_phone.context.set_offline(False)


def test_save_for_offline_stores_the_handouts_and_says_when_done(server, js_phone):
    base, _log = server
    js_phone.goto(f"{base}/ar/guides/ice-encounters")
    button = js_phone.locator("[data-save-offline]")
    wait_for(js_phone, button.is_visible, "the save button")
    button.click()
    status = js_phone.locator("[data-save-status]")
    wait_for(js_phone, lambda: status.text_content() == status.get_attribute("data-done"), "the done message", 300)
    assert offline_ready(js_phone, "/ar/guides/ice-encounters.pdf")


def test_without_a_service_worker_pages_still_read(server, phone):
    base, _log = server
    phone.goto(f"{base}/ar/guides/ice-encounters")
    assert phone.locator("#what-to-do-now li").first.is_visible()
    assert not phone.locator("[data-save-offline]").is_visible()  # no JavaScript: no dead button


@pytest.mark.parametrize("how", ["click", "shift3", "escape2"])
def test_quick_exit_leaves_and_back_does_not_return_to_the_guide(server, js_phone, how):
    base, _log = server
    js_phone.goto(f"{base}/es/")
    js_phone.goto(f"{base}/es/guides/ice-encounters")
    js_phone.wait_for_load_state("load")
    if how == "click":
        js_phone.locator(".quick-exit").click()
    else:
        key, times = ("Shift", 3) if how == "shift3" else ("Escape", 2)
        for _ in range(times):
            js_phone.keyboard.press(key)
    js_phone.wait_for_url(f"{NEUTRAL}**")
    js_phone.go_back()
    assert "/guides/ice-encounters" not in js_phone.url


def test_quick_exit_stays_on_screen_while_reading(server, phone):
    base, _log = server
    phone.goto(f"{base}/ur/guides/ice-encounters")
    phone.mouse.wheel(0, 6000)
    phone.wait_for_function("window.scrollY > 3000")
    box = phone.locator(".quick-exit").bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 120
    assert phone.locator(".to-languages").is_visible()


def test_staying_safe_page_in_every_language_says_what_quick_exit_does_not_do(client):
    from support import LOCALES
    for locale in LOCALES:
        response = client.get(f"/{locale}/staying-safe")
        assert response.status_code == 200, locale
        assert html(response).select("main li")
    english = " ".join(html(client.get("/en/staying-safe")).select_one("main").get_text().split())
    assert "does not erase your browser history" in english and "private window" in english


def test_favicon_and_manifest_answer(client):
    assert client.get("/favicon.ico").status_code == 200
    manifest = client.get("/manifest.webmanifest?lang=ar").json
    assert manifest["dir"] == "rtl" and manifest["start_url"] == "/ar/"


def test_share_copies_the_link_where_there_is_no_share_sheet(server, js_phone):
    base, _log = server
    js_phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    js_phone.goto(f"{base}/es/guides/ice-encounters")
    js_phone.evaluate("delete Navigator.prototype.share")  # headless Chromium has no share sheet anyway
    js_phone.locator("[data-share]").click()
    status = js_phone.locator("[data-share-status]")
    wait_for(js_phone, lambda: status.text_content() == status.get_attribute("data-copied"), "the copied message")
    assert js_phone.evaluate("navigator.clipboard.readText()") == f"{base}/es/guides/ice-encounters"


def test_qr_code_of_the_page_is_drawn_here_for_the_public_address_only(client):
    import base64

    from pdfs import qr_codes
    from weasyprint import HTML
    doc = html(client.get("/es/guides/ice-encounters"))
    image = doc.select_one("section.share details img[data-src]")
    assert image is not None and image["alt"]
    svg = client.get(image["data-src"])
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.data).decode()
    pdf = HTML(string=f'<img src="{source}" style="width: 6cm">').write_pdf()  # zbarimg reads it from a PNG
    assert qr_codes(pdf) == ["https://guides.example.org/es/guides/ice-encounters"]
    assert client.get("/qr.svg?path=https://evil.example/").status_code == 404
    assert client.get("/qr.svg?path=/es/../../etc").status_code == 404
