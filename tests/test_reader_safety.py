"""The reader's safety, replayed in Debian's Chromium on a 360 x 740 phone as a reader in trouble
would: a quick exit that Back cannot undo, offline with no dead ends, a saved copy the reader can
remove, and nothing broken or too small on screen."""
from __future__ import annotations

import pytest
from browser import new_phone_page
from support import LOCALES, html

NEUTRAL = "https://www.google.com/"
TEMPLATES = {"home": "/", "guide": "/guides/ice-encounters", "news-list": "/news/",
             "news-post": "/news/labor-and-allies-force-puzder-withdrawal", "search": "/search?q=ICE",
             "no-results": "/search?q=zzqqxx", "about": "/about", "print": "/print",
             "staying-safe": "/staying-safe", "offline": "/offline", "not-found": "/no-such-page"}


@pytest.fixture()
def js_phone(browser):
    """A phone with JavaScript on; the neutral site the quick exit goes to is answered locally."""
    with new_phone_page(browser, javascript=True) as page:
        page.context.route(f"{NEUTRAL}**", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Neutral</title><p>neutral page</p>"))
        yield page


def wait_for(page, condition, what: str, tries: int = 600) -> None:
    for _ in range(tries):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def saved(page, url: str) -> bool:
    return page.evaluate("url => caches.match(url).then(found => !!found)", url)


def core_saved(page, lang: str) -> bool:
    """The worker marks a language's core pages saved for a content version when all are stored."""
    return page.evaluate("""lang => caches.keys().then(async names => {
        for (const name of names) if (await (await caches.open(name)).match(`/__mai/saved/${lang}/core`)) return true;
        return false; })""", lang)


def tap(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state("load")


# --- 1. Back never returns to the site after the quick exit -------------------------------------

@pytest.mark.parametrize("locale", ["en", "es", "ar", "ur"])
def test_back_after_the_quick_exit_never_shows_the_site(server, js_phone, locale):
    """home -> guide -> contents link -> Language -> another language -> skip link -> back to the
    guide in the reader's language -> quick exit -> Back: the site is not shown, and the whole
    visit was one history entry."""
    base, _log = server
    page = js_phone
    page.goto(f"{base}/{locale}/")
    start = page.evaluate("history.length")
    tap(page, f'main a[href="/{locale}/guides/ice-encounters"]')
    page.locator("nav.toc a").nth(1).click()
    assert page.evaluate("document.activeElement.closest('section') !== null"), "focus moves to the section"
    page.locator("a.to-languages").click()
    other = "es" if locale != "es" else "fr"
    tap(page, f'nav.languages a[hreflang="{other}"]')
    assert page.url.endswith(f"/{other}/guides/ice-encounters")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Skip to content"
    tap(page, f'nav.languages a[hreflang="{locale}"]')
    assert page.evaluate("history.length") == start, "every step replaced the one entry of the visit"
    page.locator(".quick-exit").click()
    page.wait_for_url(f"{NEUTRAL}**")
    page.go_back()
    assert not page.url.startswith(base), page.url


def test_forms_replace_the_entry_too(server, js_phone):
    base, _log = server
    page = js_phone
    page.goto(f"{base}/es/")
    start = page.evaluate("history.length")
    page.fill("input[name=q]", "abogada")
    page.locator("form.search button").click()
    page.wait_for_url("**/es/search?q=abogada")
    assert page.evaluate("history.length") == start


def test_shift_three_times_within_five_seconds_with_feedback_at_each_press(server, js_phone):
    base, _log = server
    page = js_phone
    page.clock.install()
    page.goto(f"{base}/ar/guides/ice-encounters")
    feedback = page.locator("[data-exit-feedback]")
    assert feedback.get_attribute("role") == "status" and feedback.get_attribute("aria-live")
    page.keyboard.press("Shift")
    assert feedback.text_content() == feedback.get_attribute("data-two-more") != ""
    assert feedback.is_visible()
    page.keyboard.press("Shift")
    assert feedback.text_content() == feedback.get_attribute("data-one-more")
    page.clock.run_for(5100)  # the window closes: the count starts again, and the reader is told
    assert feedback.text_content() == feedback.get_attribute("data-expired")
    page.keyboard.press("Shift")
    page.clock.run_for(4000)
    page.keyboard.press("Shift")
    assert "/ar/guides/" in page.url, "two presses, even after an expired window, do not leave"
    page.keyboard.press("Shift")
    page.wait_for_url(f"{NEUTRAL}**")


def test_without_javascript_the_quick_exit_is_a_plain_link(server, phone):
    base, _log = server
    phone.goto(f"{base}/es/guides/ice-encounters")
    assert phone.locator(".quick-exit").get_attribute("href") == NEUTRAL
    assert phone.locator("nav.toc a").first.get_attribute("href").startswith("#")


def test_staying_safe_says_what_back_does_and_what_no_site_can_erase(client):
    for locale in LOCALES:
        main = html(client.get(f"/{locale}/staying-safe")).select_one("main")
        assert main.select_one("[data-remove-saved]") is not None, locale
        assert len(main.select("h2")) >= 4, locale
    english = " ".join(html(client.get("/en/staying-safe")).select_one("main").get_text().split())
    assert "pressing Back leaves this site" in english
    assert "No website can erase" in english
    assert "three times within 5 seconds" in english


# --- 2. Offline without dead ends -----------------------------------------------------------------

def links_on(page, base: str) -> set[str]:
    return set(page.evaluate("""base => [...document.querySelectorAll('a[href]')].map(a => a.href)
        .filter(h => h.startsWith(base)).map(h => h.split('#')[0])""", base))


@pytest.mark.parametrize("locale", ["en", "es", "ar", "ur"])
def test_offline_after_one_visit_no_link_ends_on_the_browsers_error_page(server, js_phone, locale):
    """One visit online, then offline: every link on the saved pages, the language without its
    slash, the print form, a language never read and a search answer with a page of the site."""
    base, _log = server
    page = js_phone
    page.goto(f"{base}/{locale}/guides/ice-encounters")
    wait_for(page, lambda: core_saved(page, locale), f"the {locale} core pages saved")
    saved_pages = [f"{base}/{locale}/{path}" for path in
                   ("", "guides/ice-encounters", "guides/reporting-ice-activity", "news/", "staying-safe")]
    links = set()
    for url in saved_pages:
        page.goto(url)
        links |= links_on(page, base)
    # the language list links every page in 23 languages: the ones never read behave alike, so
    # this language's links and two others stand for them (a page load costs a tenth of a second)
    never_read = "fr" if locale != "fr" else "es"
    links = {link for link in links if link.startswith(f"{base}/{locale}/") or not link.startswith(f"{base}/")
             or link.removeprefix(base).split("/")[1] not in LOCALES}
    links |= {f"{base}/{locale}", f"{base}/{locale}/print", f"{base}/{never_read}/", f"{base}/{never_read}/news/",
              f"{base}/{locale}/search?q=x"}
    page.context.set_offline(True)
    errors, shown = [], {}
    try:
        for url in sorted(links):
            path = url.removeprefix(base)
            if ".pdf" in path and saved(page, path):
                continue  # a saved document opens (a PDF view is not a page to inspect here)
            try:
                page.goto(url)
            except Exception as exc:  # the browser's own error page, or a download that failed
                errors.append(f"{path}: {exc.__class__.__name__}")
                continue
            if page.url.startswith("chrome-error://") or not page.locator("header.site .quick-exit").count():
                errors.append(path)
            shown[path] = page.evaluate("() => [document.documentElement.lang, document.querySelector('h1').textContent]")
    finally:
        page.context.set_offline(False)
    assert errors == []
    assert shown[f"/{locale}"][0] == locale
    assert shown[f"/{never_read}/"][0] == locale, "a language never read: the offline page in the last one read"
    assert shown[f"/{locale}/search?q=x"][1] == shown[f"/{locale}/print"][1], "search: the offline page"


def test_the_offline_page_lists_what_is_saved_and_offers_a_retry(server, js_phone):
    base, _log = server
    page = js_phone
    page.goto(f"{base}/es/")
    wait_for(page, lambda: core_saved(page, "es"), "the Spanish core pages saved")
    page.context.set_offline(True)
    try:
        page.goto(f"{base}/es/search?q=abogado")
        assert page.locator("[data-offline-search]").is_visible(), "search says it needs a connection"
        listed = page.evaluate("""[...document.querySelectorAll('[data-saved-url]')]
            .filter(li => !li.hidden).map(li => li.getAttribute('data-saved-url'))""")
        assert "/es/guides/ice-encounters" in listed and "/es/cards/ice-encounters.pdf" in listed
        assert "/es/guides/ice-encounters.pdf?paper=a4" not in listed, "not saved yet, so not listed"
        assert page.locator("[data-retry]").is_visible()
        assert page.locator(".quick-exit").is_visible()
    finally:
        page.context.set_offline(False)


def test_save_for_offline_sits_under_the_first_steps_and_stores_every_document(server, js_phone):
    base, _log = server
    page = js_phone
    page.goto(f"{base}/ar/guides/ice-encounters")
    button = page.locator("[data-save-offline]")
    wait_for(page, button.is_visible, "the save button")
    assert button.count() == 1
    below_first_steps = page.evaluate("""() => {
        const steps = document.querySelector('#what-to-do-now').getBoundingClientRect();
        const save = document.querySelector('[data-save-offline]').getBoundingClientRect();
        return save.top >= steps.bottom && save.top < steps.bottom + 200; }""")
    assert below_first_steps
    documents = [a.get_attribute("href") for a in page.locator("ul.downloads a[type='application/pdf']").all()]
    assert len(documents) == 7
    button.click()
    status = page.locator("[data-save-status]")
    wait_for(page, lambda: status.text_content() == status.get_attribute("data-done"), "the done message", 600)
    missing = [url for url in documents if not saved(page, url)]
    assert missing == []


def test_save_for_offline_names_what_it_could_not_store(server, js_phone):
    base, _log = server
    page = js_phone
    page.goto(f"{base}/es/guides/ice-encounters")
    button = page.locator("[data-save-offline]")
    wait_for(page, button.is_visible, "the save button")
    page.context.route("**/es/guides/ice-encounters.pdf?paper=a4",
                       lambda route: route.fulfill(status=503, body="busy"))
    button.click()
    failed = page.locator("[data-save-failed] li")
    wait_for(page, lambda: failed.count() > 0, "the list of what was not saved", 600)
    status = page.locator("[data-save-status]")
    assert status.text_content() == status.get_attribute("data-partly")
    assert [item.text_content() for item in failed.all()] == [
        page.evaluate("fetch('/es/offline.json').then(r => r.json())")["names"]["/es/guides/ice-encounters.pdf?paper=a4"]]


def test_a_warm_page_view_makes_no_request_of_the_worker_when_nothing_changed(server, browser):
    """(A context without routes: Playwright turns the browser's HTTP cache off when it routes.)"""
    base, log = server
    with new_phone_page(browser) as page:
        warm_page_views(page, base, log)


def warm_page_views(page, base: str, log) -> None:
    page.goto(f"{base}/es/")
    wait_for(page, lambda: core_saved(page, "es"), "the Spanish core pages saved")
    page.wait_for_timeout(300)
    before = len(log.read_text().splitlines())
    for path in ["/es/guides/ice-encounters", "/es/guides/reporting-ice-activity", "/es/news/"]:
        page.goto(f"{base}{path}")
        page.wait_for_timeout(300)  # the worker's answer to the page's message, if it made one
    requests = log.read_text().splitlines()[before:]
    assert not [line for line in requests if "offline.json" in line], requests
    assert len(requests) <= 3, requests  # at most one small revalidation per page view


# --- 3. The saved copy is the reader's to remove ------------------------------------------------

def test_remove_the_saved_copy_empties_the_caches_and_the_worker(server, js_phone):
    base, _log = server
    page = js_phone
    page.goto(f"{base}/ur/")
    wait_for(page, lambda: core_saved(page, "ur"), "the Urdu core pages saved")
    page.goto(f"{base}/ur/staying-safe")
    button = page.locator("[data-remove-saved]")
    wait_for(page, button.is_visible, "the remove button")
    button.click()
    status = page.locator("[data-remove-status]")
    wait_for(page, lambda: status.text_content() == status.get_attribute("data-done"), "the removed message")
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0


@pytest.mark.parametrize("path", ["/about", "/staying-safe"])
def test_about_and_staying_safe_say_a_copy_stays_on_the_phone(client, path):
    for locale in LOCALES:
        main = html(client.get(f"/{locale}{path}")).select_one("main")
        assert main.select_one('a[href$="/staying-safe#remove-saved-copy"]') is not None, (locale, path)
    text = " ".join(html(client.get(f"/en{path}")).select_one("main").get_text().split())
    assert "keeps a copy of the guides" in text and "browser's storage" in text


# --- 4. Nothing broken on screen ----------------------------------------------------------------

def too_small(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('body a[href], body button')]
        .filter(e => !e.classList.contains('skip') && e.getClientRects().length)
        .filter(e => { const r = e.getBoundingClientRect(); return r.width < 43.5 || r.height < 43.5; })
        .map(e => { const r = e.getBoundingClientRect();
            return `${e.textContent.trim().slice(0, 30)} ${Math.round(r.width)}x${Math.round(r.height)}`; })""")


def broken_images(page) -> list[str]:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    page.wait_for_function("() => [...document.images].every(i => i.complete && (i.src || !i.dataset.src))")
    return page.evaluate("[...document.images].filter(i => !i.naturalWidth).map(i => i.src)")


@pytest.mark.parametrize("locale", ["en", "ar", "ur"])
def test_every_template_has_whole_targets_and_whole_images(server, js_phone, locale):
    """Every link and button 44 x 44 px at least; every image drawn (the page's QR code too)."""
    base, _log = server
    small, images, checked = {}, {}, 0
    for name, path in TEMPLATES.items():
        js_phone.goto(f"{base}/{locale}{path}")
        checked += js_phone.evaluate("document.images.length")
        if found := too_small(js_phone):
            small[name] = found
        if found := broken_images(js_phone):
            images[name] = found
    assert small == {} and images == {}
    assert checked >= 1, "the guide page shows its QR code"


def test_the_skip_link_shows_above_the_header_when_focused(server, phone):
    base, _log = server
    phone.goto(f"{base}/ur/guides/ice-encounters")
    phone.mouse.wheel(0, 3000)
    phone.wait_for_function("window.scrollY > 1000")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "skip"
    on_top = phone.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.top >= 0 && r.bottom <= innerHeight && r.width > 40 && document.activeElement.contains(hit); }""")
    assert on_top


def test_no_header_text_is_cut_at_320_px_in_any_locale(server, phone):
    base, _log = server
    phone.set_viewport_size({"width": 320, "height": 740})
    cut = {}
    for locale in LOCALES:
        phone.goto(f"{base}/{locale}/guides/ice-encounters")
        found = phone.evaluate("""() => [...document.querySelectorAll('header.site > a')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > innerWidth + 0.5
                         || e.getBoundingClientRect().left < -0.5).map(e => e.className)""")
        if found:
            cut[locale] = found
    assert cut == {}


def test_no_english_left_on_a_translated_print_page(client):
    english = html(client.get("/en/print")).select_one("main")
    labels = [" ".join(e.get_text().split()) for e in english.select("legend, label:not([lang]), button, li, h2")]
    left = {}
    for locale in LOCALES:
        if locale == "en":
            continue
        main = html(client.get(f"/{locale}/print")).select_one("main")
        texts = {" ".join(e.get_text().split()) for e in main.select("legend, label:not([lang]), button, li, h2")}
        same = [t for t in labels if t in texts and t not in SAME_IN_ENGLISH.get(locale, set()) | {"A4 (210 × 297 mm)"}]
        if same:
            left[locale] = same
    assert left == {}


# Words a language writes as English does (French "Format", "Guides").
SAME_IN_ENGLISH = {"fr": {"Format", "Guides"}, "tl": {"Format"}}


# --- 5. Search finds what people type --------------------------------------------------------------

@pytest.mark.parametrize("locale, typed, marked", [
    ("es", "deportacion", "deportación"),  # no accent typed
    ("es", "abogada", "abogado"),  # another form of the word
    ("es", "ABOGADOS", "abogado"),
    ("fr", "avocate", "avocat"),
    ("pt", "advogada", "advogado"),
    ("ru", "адвокату", "адвокат"),
    ("en", "lawyers", "lawyer"),
    ("vi", "luat su", "luật sư"),  # Vietnamese typed without its tone marks
])
def test_search_finds_and_marks_other_forms_and_unaccented_words(client, locale, typed, marked):
    doc = html(client.get(f"/{locale}/search", query_string={"q": typed}))
    assert doc.select("ol.results li"), (locale, typed)
    marks = {m.get_text().casefold() for m in doc.select("ol.results mark")}
    assert any(m.startswith(marked.split()[0].casefold()) for m in marks), marks


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh-Hans"])
def test_no_results_offer_the_guides_and_their_cards(client, locale):
    doc = html(client.get(f"/{locale}/search", query_string={"q": "zzqqxxw"}))
    assert not doc.select("ol.results li")
    links = [a["href"] for a in doc.select("main ul.way-on a")]
    assert links == [f"/{locale}/guides/ice-encounters", f"/{locale}/cards/ice-encounters.pdf",
                     f"/{locale}/guides/reporting-ice-activity", f"/{locale}/cards/reporting-ice-activity.pdf"]
