"""Speak for me (issue 24): every English phrase a guide tells the reader to say, and each card's
officer side, played aloud from the page; the first steps read aloud in the reader's language
where a voice for it is offered; light, labelled, served for good, and playable offline."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from browser import new_phone_page
from support import LOCALES, copy_app, html, keep_only_locales

from mai_guides import ROOT
from mai_guides.builder import voices
from mai_guides.i18n import use_locale

ENGLISH_BUDGET = 120 * 1024  # the English phrases of one guide, as Opus (docs/speech.md)
GUIDES = ("ice-encounters", "reporting-ice-activity")


def expected_phrases(slug: str) -> set[str]:
    """Read from the sources directly: each quote right after "say" or "ask" (any case, with
    a colon, bold markers or nothing between), and the card's officer side."""
    text = (ROOT / "content" / "guides" / f"{slug}.md").read_text()
    said = set()
    for match in re.finditer(r'"([^"]+)"', text):
        before = text[max(0, match.start() - 8):match.start()].lower()
        if re.search(r"\b(say|ask)\W*$", before):
            said.add(match.group(1).strip().rstrip(",;:"))
    back = yaml.safe_load((ROOT / "content" / "cards" / f"{slug}.yaml").read_text())["back"]
    return said | set(back)


def speak_page(client, locale: str, slug: str):
    response = client.get(f"/{locale}/speak/{slug}")
    assert response.status_code == 200, (locale, slug)
    return html(response)


def phrase_audio(doc) -> dict[str, tuple[str, str]]:
    """English phrase -> (its Opus address, its MP3 address), as the page lists them."""
    found = {}
    for item in doc.select("ol.phrases > li"):
        sources = [s["src"] for s in item.select("audio source")]
        found[item.select_one("p.english").get_text()] = tuple(sources)
    return found


def decoded(data: bytes, ext: str, tmp_path: Path) -> dict[str, float]:
    """Decode with the reference decoders (opusdec, lame) and measure the WAV with sox: its
    length in seconds, its peak and its average (RMS) level in dB below full scale."""
    source, wav = tmp_path / f"clip.{ext}", tmp_path / "clip.wav"
    source.write_bytes(data)
    decoder = ["opusdec", "--quiet", str(source), str(wav)] if ext == "opus" else \
        ["lame", "--quiet", "--decode", str(source), str(wav)]
    subprocess.run(decoder, check=True, capture_output=True)
    stats = subprocess.run(["sox", str(wav), "-n", "stats"], check=True, capture_output=True, text=True).stderr
    level = {key: float(re.search(rf"^{key} dB\s+(\S+)", stats, re.M).group(1)) for key in ("Pk lev", "RMS lev")}
    length = float(subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True, text=True).stdout)
    return {"seconds": length, "peak": level["Pk lev"], "rms": level["RMS lev"]}


def test_every_english_phrase_to_say_has_audio_on_every_locales_page(client, tmp_path):
    heard = {}
    for slug in GUIDES:
        want = expected_phrases(slug)
        for locale in LOCALES:
            listed = phrase_audio(speak_page(client, locale, slug))
            assert set(listed) == want, (locale, slug, set(listed) ^ want)
            for phrase, urls in listed.items():
                assert heard.setdefault(phrase, urls) == urls, f"{phrase!r}: the English audio is shared"
    assert len(heard) >= 15
    for phrase, urls in heard.items():
        words = len(phrase.split())
        for url, ext in zip(urls, ("opus", "mp3"), strict=True):
            assert re.fullmatch(rf"/audio/[0-9a-f]{{16}}\.{ext}", url), url
            response = client.get(url)
            assert response.status_code == 200 and response.mimetype == ("audio/ogg" if ext == "opus" else "audio/mpeg")
            sound = decoded(response.data, ext, tmp_path)
            # slow, clear speech: about two words a second, and never a clipped or runaway file
            assert 0.9 <= words / sound["seconds"] <= 3.2, (phrase, ext, sound)
            # loud enough for a door: levelled to peaks near full scale (Flite's own output peaks
            # near -6 dB) with a high average level, as played at full volume
            assert sound["peak"] >= -4.5 and sound["rms"] >= -21.5, (phrase, ext, sound)


def test_play_controls_are_present_and_labelled_in_the_readers_language(app, client):
    for locale in ["en", "es", "ar", "zh-Hans", "am"]:
        doc = speak_page(client, locale, "ice-encounters")
        with app.test_request_context(f"/{locale}/"), use_locale(locale):
            from flask_babel import gettext
            label, play = gettext("computer voice"), gettext("Play")
        article = doc.select_one("article[data-speak]")
        assert article["data-play"] == play and article["data-stop"]
        players = doc.select(".player")
        assert players and len(doc.select("[data-play-all]")) == 2
        for player in players:
            audio = player.select_one("audio")
            # without JavaScript these are the browser's own players, and nothing loads until pressed
            assert audio.has_attr("controls") and audio["preload"] == "none"
            assert [s["type"] for s in audio.select("source")] == ["audio/ogg; codecs=opus", "audio/mpeg"]
            assert doc.find(id=audio["aria-describedby"]) is not None
            assert player.select_one(".voice").get_text(strip=True) == label, locale


def test_the_english_inside_each_line_is_isolated_in_right_to_left_languages(client):
    """A line like «...» ("I do not consent to a search") keeps its English and its brackets in
    order in Arabic, Persian and Urdu: the English is an isolated, English-language run."""
    for locale in ["ar", "fa", "ur"]:
        doc = speak_page(client, locale, "ice-encounters")
        lines = [p for p in doc.select("ol.phrases p.context") if not p.has_attr("lang")]
        assert lines, locale
        for line in lines:
            english = line.get_text()
            for run in line.select("bdi"):
                english = english.replace(run.get_text(), "")
                assert run["lang"] == "en" and run["dir"] == "ltr", (locale, str(line))
            assert not re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", english), (locale, english)
            assert "&amp;" not in line.get_text() and "&lt;" not in line.get_text()


def test_first_steps_are_offered_only_in_languages_with_a_voice(client):
    for locale in LOCALES:
        for slug in GUIDES:
            steps = speak_page(client, locale, slug).select("#steps audio")
            if locale in voices.READER_VOICES:
                assert len(steps) == 1 and steps[0]["lang"] == locale, (locale, slug)
            else:
                assert not steps, f"{locale} has no voice: no control, never the wrong language"


def test_the_languages_with_voices_are_what_the_docs_say():
    readme = (ROOT / "docs" / "speech.md").read_text()
    offered = re.search(r"^Offered: (.+)$", readme, re.M)
    not_offered = re.search(r"^Not offered: (.+)$", readme, re.M)
    assert offered and not_offered, "docs/speech.md lists the languages read aloud and those that are not"
    codes = re.findall(r"`([a-zA-Z-]+)`", offered.group(1))
    assert sorted(codes) == sorted(voices.READER_VOICES)
    left_out = re.findall(r"`([a-zA-Z-]+)`", not_offered.group(1))
    assert sorted(left_out + codes) == sorted(LOCALES)


def test_offered_voices_read_their_own_language():
    """espeak-ng switches to another language's rules (it prints "(en)") for words it cannot read:
    the first steps of every offered language must be read by that language's own rules, but for
    English words the translation keeps on purpose ("S — nombre (Size)")."""
    from mai_guides.builder.inputs import load_inputs
    from mai_guides.builder.paths import Paths
    from mai_guides.builder.speech import first_step_segments, plan
    paths = Paths(ROOT, ROOT / "content", ROOT / "translations", Path("/nonexistent/mai.db"), Path("/nonexistent"))
    inputs = load_inputs(paths)
    _rows, clips = plan(inputs.content, inputs.registry, inputs.translations, {})
    spoken = {voice.name for clip in clips.values() for voice, _ in clip.parts if voice.engine == "espeak-ng"}
    assert len(spoken) == len(voices.READER_VOICES) - 1, "every offered language but English has its steps spoken"
    english = {word.lower() for guide in inputs.content.guides for segment in first_step_segments(guide)
               for word in re.findall(r"[A-Za-z]+", segment)}
    for clip in clips.values():
        for voice, text in clip.parts:
            if voice.engine == "espeak-ng":
                text = " ".join(w for w in text.split() if not kept_english(re.sub(r"\W", "", w), english))
                phonemes = subprocess.run(["espeak-ng", "-q", "-x", "-v", voice.name, text],
                                          capture_output=True, text=True, check=True).stdout
                assert "(en)" not in phonemes, (voice.name, text)


def kept_english(word: str, english: set[str]) -> bool:
    """A word of the English source, or a lone Latin letter (SALUTE's S, A, L, U, T, E)."""
    return word.lower() in english or (len(word) == 1 and word.isascii() and word.isalpha())


def test_guide_pages_link_the_spoken_phrases_and_load_no_audio(client):
    for locale in ["en", "es", "ar", "pa"]:
        for slug in GUIDES:
            doc = html(client.get(f"/{locale}/guides/{slug}"))
            assert doc.select_one(f'#what-to-do-now a[href="/{locale}/speak/{slug}"]'), (locale, slug)
            assert not doc.select("audio, source"), "a guide page's first view downloads no audio"


def test_audio_is_kept_for_good_and_only_real_names_are_served(client):
    url = phrase_audio(speak_page(client, "en", "ice-encounters"))["I want to speak to a lawyer."][0]
    response = client.get(url)
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache and "public" in cache
    assert client.get(url, headers={"Range": "bytes=0-99"}).status_code == 206  # players ask for ranges
    for bad in ["/audio/0123456789abcdef.opus", "/audio/../mai.db.opus", "/audio/ABC.opus",
                url.replace(".opus", ".wav"), url.replace(".opus", ".json")]:
        assert client.get(bad).status_code == 404, bad


def test_the_csp_lets_pages_play_the_sites_own_audio_only(client):
    csp = client.get("/en/speak/ice-encounters").headers["Content-Security-Policy"]
    assert "media-src 'self'" in csp


def test_the_english_audio_of_a_guide_stays_under_budget(client):
    for slug in GUIDES:
        urls = {urls[0] for urls in phrase_audio(speak_page(client, "en", slug)).values()}
        total = sum(len(client.get(url).data) for url in urls)
        assert total <= ENGLISH_BUDGET, (slug, total)


def test_audio_for_a_guide_is_saved_with_it(client):
    listing = client.get("/es/offline.json").get_json()
    officer = {urls[0] for urls in phrase_audio(speak_page(client, "es", "ice-encounters")).values()}
    core, everything = set(listing["core"]), set(listing["all"])
    assert {"/es/speak/ice-encounters", "/es/speak/reporting-ice-activity"} <= core
    assert officer <= everything
    steps = speak_page(client, "es", "ice-encounters").select_one("#steps source")["src"]
    assert steps in everything and steps not in core, "the first visit stays light; Save for offline keeps the rest"


@pytest.mark.slow
def test_the_english_voice_is_understood_by_a_speech_recogniser(client, tmp_path):
    """PocketSphinx (an open recogniser, its English model inside the package) transcribes every
    English phrase as served; it must get nearly every word (bench/voices.py compares voices)."""
    from pocketsphinx import Decoder
    decoder = Decoder(samprate=16000, logfn="/dev/null")
    wrong = total = 0
    for slug in GUIDES:
        for phrase, (opus, _mp3) in phrase_audio(speak_page(client, "en", slug)).items():
            source, raw = tmp_path / "p.opus", tmp_path / "p.raw"
            source.write_bytes(client.get(opus).data)
            subprocess.run(["opusdec", "--quiet", "--rate", "16000", str(source), str(tmp_path / "p.wav")], check=True)
            subprocess.run(["sox", str(tmp_path / "p.wav"), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16",
                            "-e", "signed", str(raw)], check=True)
            decoder.start_utt()
            decoder.process_raw(raw.read_bytes(), full_utt=True)
            decoder.end_utt()
            heard = decoder.hyp().hypstr.split() if decoder.hyp() else []
            said = re.findall(r"[a-z']+", phrase.lower())
            wrong += edit_distance(said, heard)
            total += len(said)
    assert wrong / total <= 0.12, f"{wrong} of {total} words misheard"


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, word in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def build(app) -> None:
    result = app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code == 0, result.output


def audio_files(app) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in Path(app.config["MAI_AUDIO_CACHE"]).iterdir()}


@pytest.mark.slow
def test_editing_one_phrase_remakes_one_file(project_copy):
    keep_only_locales(project_copy, ["en"])
    app = copy_app(project_copy, MAI_AUDIO_CACHE=str(project_copy / "audio"))  # its own, to count
    build(app)
    before = audio_files(app)
    guide = project_copy / "content" / "guides" / "ice-encounters.md"
    guide.write_text(guide.read_text().replace('Say: "I am stepping back. I am using my right to record."',
                                               'Say: "I am stepping back now. I am using my right to record."'))
    build(app)
    after = audio_files(app)
    made = set(after) - set(before)
    assert len(made) == 3 and {Path(n).suffix for n in made} == {".opus", ".mp3", ".json"}, made
    assert all(after[name] == stamp for name, stamp in before.items() if name in after), "nothing else re-made"
    doc = html(app.test_client().get("/en/speak/ice-encounters"))
    assert "I am stepping back now. I am using my right to record." in phrase_audio(doc)


@pytest.mark.slow
def test_a_persons_recording_replaces_the_computer_voice_and_is_credited(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    folder = project_copy / "content" / "audio"
    folder.mkdir()
    phrase = "I want to speak to a lawyer."
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(folder / "lawyer.wav"), phrase], check=True)  # stands in for a person
    listing = folder / "recordings.toml"
    listing.write_text(f'[[recording]]\ntext = "{phrase}"\nfile = "lawyer.wav"\ncredit = "Ana R., volunteer"\n')
    app = copy_app(project_copy)
    build(app)
    computer = voices.audio_name([(voices.ENGLISH, phrase)])
    for locale in ["en", "es"]:
        doc = html(app.test_client().get(f"/{locale}/speak/ice-encounters"))
        for item in doc.select("ol.phrases > li"):
            label = item.select_one(".voice").get_text(strip=True)
            if item.select_one("p.english").get_text() == phrase:
                assert "Ana R., volunteer" in label and computer not in item.select_one("source")["src"]
            else:
                assert "Ana R." not in label
    listing.write_text('[[recording]]\ntext = "I want a lawyer."\nfile = "lawyer.wav"\ncredit = "Ana R."\n')
    result = app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code != 0 and "recordings.toml" in result.output and "matches no phrase" in result.output


def wait_until(page, script: str, seconds: float = 30) -> None:
    """Poll a function in the page (wait_for_function would need eval, which the CSP forbids)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out: {script}")


def test_phrases_play_offline_after_one_visit_and_load_nothing_until_asked(server, browser):
    base, _log = server
    with new_phone_page(browser, javascript=True) as page:
        page.goto(f"{base}/en/guides/ice-encounters")  # one visit: the worker keeps the officer side
        wait_until(page, """async () => { for (const n of await caches.keys()) {
            if (await (await caches.open(n)).match('/__mai/saved/en/core')) return true; } return false; }""")
        page.context.set_offline(True)
        try:
            page.goto(f"{base}/en/speak/ice-encounters")
            button = page.locator("#officer-1 button.play")
            box = button.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44
            button.click()
            wait_until(page, "() => document.querySelector('#officer-1 audio').currentTime > 0.5")
            assert page.locator("[data-speak-status]").is_hidden()
        finally:
            page.context.set_offline(False)


def test_a_phrase_played_once_online_plays_again_offline(server, browser):
    """The words to say from the guide are not saved after one visit (the officer side is), but
    one the reader has played is kept: it plays again with no connection."""
    base, _log = server
    with new_phone_page(browser, javascript=True) as page:
        page.goto(f"{base}/es/speak/reporting-ice-activity")
        wait_until(page, "async () => !!(await navigator.serviceWorker.ready).active")
        page.reload()  # now the worker answers this page's requests
        wait_until(page, "() => !!navigator.serviceWorker.controller")
        steps = page.locator("#steps button.play")
        steps.click()
        wait_until(page, "() => document.querySelector('#steps audio').currentTime > 0.5")
        steps.click()  # stop
        source = page.locator("#steps source").first.get_attribute("src")
        wait_until(page, f"async () => !!(await caches.match('{source}'))")
        wait_until(page, "async () => !!(await caches.match('/__mai/saved/es/core'))")  # the page itself
        page.context.set_offline(True)
        try:
            page.reload()
            page.locator("#steps button.play").click()
            wait_until(page, "() => document.querySelector('#steps audio').currentTime > 0.5")
            assert page.locator("[data-speak-status]").is_hidden()
        finally:
            page.context.set_offline(False)


def test_a_speak_page_without_a_worker_downloads_audio_only_when_pressed(server, browser):
    base, _log = server
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    try:
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}/es/speak/ice-encounters")
        page.wait_for_load_state("networkidle")
        assert not [url for url in requested if "/audio/" in url], requested
        page.locator("[data-play-all]").first.click()
        wait_until(page, "() => document.querySelector('#officer-0 audio').currentTime > 0.3")
        assert [url for url in requested if url.endswith(".opus")], "Chromium plays the Opus file"
    finally:
        context.close()


def test_pruning_keeps_what_a_release_names_and_what_was_made_today(tmp_path):
    """Old audio no kept release names is deleted, a clip's files together; a file made today is
    kept (another build sharing the folder may have made it for a release not yet live)."""
    import os
    import sqlite3
    import time

    from mai_guides.builder.speech import prune
    database = tmp_path / "mai.db"
    with sqlite3.connect(database) as connection:
        connection.execute("create table speech (audio text)")
        connection.execute("insert into speech values ('aaaaaaaaaaaaaaaa')")
    folder = tmp_path / "audio"
    folder.mkdir()
    old = time.time() - 2 * 24 * 3600
    for name in ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc", "dddddddddddddddd"]:
        for ext in ("opus", "mp3", "json"):
            path = folder / f"{name}.{ext}"
            path.write_bytes(b"x")
            if name != "cccccccccccccccc":
                os.utime(path, (old, old))
    os.utime(folder / "dddddddddddddddd.json", None)  # its facts file is young: the clip stays whole
    assert prune(folder, [database]) == 3
    assert sorted({p.stem for p in folder.iterdir()}) == ["aaaaaaaaaaaaaaaa", "cccccccccccccccc", "dddddddddddddddd"]
    assert all(len(list(folder.glob(f"{stem}.*"))) == 3 for stem in ["aaaaaaaaaaaaaaaa", "dddddddddddddddd"])


def test_play_all_speaks_a_list_in_order_and_one_phrase_at_a_time(server, browser):
    base, _log = server
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{base}/en/speak/reporting-ice-activity")
        # played four times faster than a reader would hear them, to keep the test short
        page.evaluate("""() => { window.started = []; for (const audio of document.querySelectorAll('audio')) {
            audio.defaultPlaybackRate = 4; audio.playbackRate = 4;
            audio.addEventListener('play', () => window.started.push(audio.closest('.player').id));
            audio.addEventListener('ratechange', () => { if (audio.playbackRate !== 4) audio.playbackRate = 4; }); } }""")
        count = page.locator("#officer-title ~ ol .player").count()
        assert count == 4
        play_all = page.locator("section:has(#officer-title) [data-play-all]")
        play_all.click()
        assert play_all.get_attribute("aria-pressed") == "true"
        wait_until(page, f"() => window.started.length >= {count} && document.querySelector"
                         "('section:has(#officer-title) [data-play-all]').getAttribute('aria-pressed') === 'false'", 60)
        assert page.evaluate("window.started") == [f"officer-{n}" for n in range(count)]
        # only one phrase plays at a time: pressing another stops the first
        page.locator("#officer-0 button.play").click()
        wait_until(page, "() => document.querySelector('#officer-0 audio').currentTime > 0.2")
        page.locator("#officer-2 button.play").click()
        wait_until(page, "() => document.querySelector('#officer-2 audio').currentTime > 0.2")
        assert page.evaluate("document.querySelector('#officer-0 audio').paused")
        assert page.locator("#officer-0 button.play").get_attribute("aria-pressed") == "false"
    finally:
        context.close()


def test_without_javascript_each_phrase_is_the_browsers_own_player(server, phone):
    base, _log = server
    phone.goto(f"{base}/ar/speak/ice-encounters")
    players = phone.locator("audio")
    assert players.count() >= 15
    for index in range(players.count()):
        player = players.nth(index)
        assert player.is_visible() and player.evaluate("a => a.controls && a.networkState !== a.NETWORK_LOADING")
        box = player.bounding_box()
        assert box["height"] >= 32 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert phone.locator("[data-play-all]").first.is_hidden(), "Play all needs the script: hidden without it"


def test_every_tool_the_speech_needs_comes_from_the_projects_debian_packages():
    """The build's engines and encoders, and the decoders these tests check with, are installed by
    `make deps` from debian-packages.txt (a missing tool fails here and in the build, never skips)."""
    listed = {line.strip() for line in (ROOT / "debian-packages.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    for tool in [*voices.TOOLS, "opusdec", "soxi"]:
        path = subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True).stdout.strip()
        assert path, f"{tool} is missing: run make deps"
        owner = subprocess.run(["dpkg-query", "-S", str(Path(path).resolve())], capture_output=True, text=True)
        package = owner.stdout.split(":")[0]
        assert owner.returncode == 0 and package in listed, (tool, package)


def test_a_speak_page_is_light_until_a_phrase_is_played(client):
    """The page holds no audio: its HTML, styles and scripts, compressed, fit the budget a guide
    page has (tests/test_weight.py), whatever the language."""
    for locale in ["en", "ar", "hi", "am"]:
        url = f"/{locale}/speak/ice-encounters"
        page = client.get(url, headers={"Accept-Encoding": "br"})
        doc = html(client.get(url))
        static = [link["href"] for link in doc.select('link[rel="stylesheet"]')] + \
            [script["src"] for script in doc.select("script[src]")]
        assert not [src for src in static if "/audio/" in src]
        total = len(page.data) + sum(len(client.get(src, headers={"Accept-Encoding": "br"}).data) for src in static)
        assert total <= 50 * 1024, (locale, total)
