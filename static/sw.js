// MAI Guides service worker: keeps a language's guides readable with no connection.
// One cache per content version ("mai-<version>"); a rebuild changes the version, and the next
// online visit fills a new cache and deletes the old one. Search is never stored.
"use strict";

const PREFIX = "mai-";

async function offlineList(lang) {
  const response = await fetch(`/${lang}/offline.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`offline list: ${response.status}`);
  return response.json();
}

async function store(lang, which, report) {
  const list = await offlineList(lang);
  const cache = await caches.open(PREFIX + list.version);
  const urls = list[which];
  let done = 0;
  for (const url of urls) {
    try {
      const response = await fetch(url, { cache: "no-cache" });
      if (response.ok) await cache.put(url, response);
    } catch (error) {
      // offline or a busy PDF renderer: keep what we have, try again at the next visit
    }
    done += 1;
    if (report) report({ type: "progress", done, total: urls.length });
  }
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== PREFIX + list.version)
    .map((n) => caches.delete(n)));
  return { type: "saved", which, total: urls.length, version: list.version };
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const { type, lang } = event.data || {};
  if (!/^[A-Za-z-]{2,12}$/.test(lang || "")) return;
  const source = event.source;
  const which = type === "save-all" ? "all" : "core";
  event.waitUntil(store(lang, which, (m) => source && source.postMessage(m))
    .then((m) => source && source.postMessage(m))
    .catch(() => source && source.postMessage({ type: "failed", which })));
});

function isPrivate(url) {
  return url.pathname.endsWith("/search") || url.pathname.endsWith("/offline.json") || url.pathname === "/sw.js";
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || isPrivate(url)) return;
  // Network first, so online readers always get the current text; the cache when offline.
  event.respondWith(fetch(request).catch(async () => {
    const found = await caches.match(request, { ignoreSearch: url.pathname.startsWith("/static/") });
    return found || Response.error();
  }));
});
