// MAI Guides service worker: keeps a language's guides readable with no connection, and never
// leaves a reader on the browser's "This site can't be reached".
//
// - One cache per content version ("mai-<version>"). A page tells the worker which version it
//   shows (offline.js); when that version's copy of the language is complete, a page view costs
//   no request beyond the page itself. A new version is filled once (static files, whose
//   addresses carry their own hash, are copied over, not fetched again), then older caches go.
// - Pages come from the network first, so online readers always get the current text; offline,
//   from the cache; and any page of the site that is not saved answers with the site's own
//   offline page, in the page's language when it is saved, else in the last language read.
// - Search is never stored: offline, the offline page says that search needs a connection.
"use strict";

const PREFIX = "mai-";
const META = "mai-meta";  // the last language read (a language code, nothing the reader typed)
const LAST_LANG = "/__mai/last-lang";
const LANG = /^\/([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)(?:\/|$)/;
const SLOW_NETWORK_MS = 6000;  // past this, a saved copy is shown rather than a spinning page

const cacheName = (version) => PREFIX + version;
const doneMarker = (lang, which) => `/__mai/saved/${lang}/${which}`;

// The site serves /es/offline.json; a static copy (flask mai freeze) the same file, its names its own.
async function offlineList(lang) {
  const response = await fetch(`/${lang}/offline.json`, { cache: "no-cache" });
  if (!response.ok) throw new Error(`offline list: ${response.status}`);
  return response.json();
}

const text = (value) => new Response(value, { headers: { "Content-Type": "text/plain" } });

async function rememberLanguage(lang) {
  const meta = await caches.open(META);
  await meta.put(LAST_LANG, text(lang));
}

// Where a language's offline page is: /es/offline on the site, /es/offline.html in a static copy.
async function rememberOfflinePage(lang, url) {
  if (url) await (await caches.open(META)).put(`/__mai/offline-page/${lang}`, text(url));
}

async function lastLanguage() {
  const found = await caches.match(LAST_LANG, { cacheName: META });
  return found ? found.text() : null;
}

// A static file's address carries its hash, a spoken phrase's name is one: an older cache's copy
// is the same file.
async function fromOlderCache(url) {
  const address = new URL(url, self.location.origin);
  if (!address.searchParams.has("v") && !address.pathname.startsWith("/audio/")) return null;
  return caches.match(url);
}

// Spoken phrases are listed as Opus; a browser that cannot play Opus keeps the MP3 instead.
const AUDIO = /^\/audio\/[0-9a-f]{16}\.opus$/;
function inFormat(url, format) {
  return format === "mp3" && AUDIO.test(url) ? url.replace(/\.opus$/, ".mp3") : url;
}

async function store(list, which, report, format) {
  const cache = await caches.open(cacheName(list.version));
  const urls = list[which];
  const failed = [];
  let done = 0;
  for (const listed of urls) {
    const url = inFormat(listed, format);
    try {
      const kept = (await cache.match(url)) || (await fromOlderCache(url));
      if (kept) {
        await cache.put(url, kept);
      } else {
        const response = await fetch(url, { cache: "no-cache" });
        if (!response.ok) throw new Error(String(response.status));
        await cache.put(url, response);
      }
    } catch (error) {
      failed.push({ url, name: (list.names || {})[listed] || url });  // offline, or a busy PDF renderer
    }
    done += 1;
    if (report) report({ type: "progress", which, done, total: urls.length });
  }
  return failed;
}

async function dropOlderCaches(version) {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== META && n !== cacheName(version))
    .map((n) => caches.delete(n)));
}

// A page view: make sure this language's core pages of this version are saved, once.
async function visit(lang, version, report, format) {
  await rememberLanguage(lang);
  if (version && (await caches.match(doneMarker(lang, "core"), { cacheName: cacheName(version) }))) return null;
  const list = await offlineList(lang);
  await rememberOfflinePage(lang, list.offline_page);
  const failed = await store(list, "core", report, format);
  const cache = await caches.open(cacheName(list.version));
  if (!failed.length) {
    await cache.put(doneMarker(lang, "core"), new Response("1"));
    await dropOlderCaches(list.version);
  }
  return { type: "visited", failed };
}

async function saveAll(lang, report, format) {
  const list = await offlineList(lang);
  const failed = await store(list, "all", report, format);
  if (!failed.length) await dropOlderCaches(list.version);
  return { type: failed.length ? "partly-saved" : "saved", which: "all", failed, total: list.all.length };
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const { type, lang, version, audio } = event.data || {};
  const format = audio === "mp3" ? "mp3" : "opus";
  if (!/^[A-Za-z0-9-]{2,20}$/.test(lang || "") || (version && !/^[0-9a-f]{6,64}$/.test(version))) return;
  const source = event.source;
  const tell = (message) => message && source && source.postMessage(message);
  const work = type === "save-all" ? saveAll(lang, tell, format) : visit(lang, version, null, format);
  event.waitUntil(work.then(tell).catch(() => tell({ type: "failed", which: type === "save-all" ? "all" : "core" })));
});

function languageOf(url) {
  const match = LANG.exec(url.pathname);
  return match ? match[1] : null;
}

// The site's own "not saved on this phone" page: the address's language, else the last read.
async function offlinePage(url) {
  for (const lang of [languageOf(url), await lastLanguage()]) {
    if (!lang) continue;
    const named = await caches.match(`/__mai/offline-page/${lang}`, { cacheName: META });
    const page = await caches.match(named ? await named.text() : `/${lang}/offline`);
    if (page) return page;
  }
  return Response.error();
}

function isSearch(url) {
  return /\/search(\.html)?$/.test(url.pathname);
}

// A static file or the font rules with their hash in the address never change: saved copy first.
function isFingerprinted(url) {
  return url.searchParams.has("v") && (url.pathname.startsWith("/static/") || url.pathname === "/fonts.css");
}

async function savedCopy(request, url) {
  return caches.match(request, { ignoreSearch: url.pathname.startsWith("/static/") });
}

// Network first; a saved copy when the network fails (or, for a page, is far too slow).
async function networkThenSaved(request, url) {
  const network = fetch(request);
  const saved = savedCopy(request, url);
  if (request.mode === "navigate") {
    const slow = new Promise((resolve) => setTimeout(resolve, SLOW_NETWORK_MS, "slow"));
    const first = await Promise.race([network.catch(() => "failed"), slow]);
    if (first !== "slow" && first !== "failed") return first;
    const copy = await saved;
    if (copy) return copy;
    if (first === "slow") {
      try { return await network; } catch (error) { /* falls through to the offline page */ }
    }
    return offlinePage(url);
  }
  try {
    return await network;
  } catch (error) {
    return (await saved) || Response.error();
  }
}

// A spoken phrase never changes (its name is the hash of what it says): the saved copy first;
// else the whole file from the network (the player asks for byte ranges, which a cache cannot
// keep), kept for next time, so a phrase played once online plays again offline.
async function audioFile(request) {
  const saved = await caches.match(request.url);
  if (saved) return saved;
  const response = await fetch(request.url);
  if (response.ok) {
    const current = (await caches.keys()).filter((n) => n.startsWith(PREFIX) && n !== META).pop();
    if (current) await (await caches.open(current)).put(request.url, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/sw.js" || url.pathname.endsWith("/offline.json") || url.pathname.startsWith("/__mai/")) return;
  if (isSearch(url)) {
    // never stored; a reader searching offline gets the offline page, which says why
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(() => offlinePage(url)));
    return;
  }
  if (url.pathname.startsWith("/audio/")) {
    event.respondWith(audioFile(request));
    return;
  }
  if (isFingerprinted(url)) {
    event.respondWith(caches.match(request).then((found) => found || fetch(request)));
    return;
  }
  event.respondWith(networkThenSaved(request, url));
});
