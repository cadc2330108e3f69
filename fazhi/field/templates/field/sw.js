{% autoescape off %}/* Fazhi service worker: keeps the field pages and their assets for use without a connection.
   Shipped with the package, nothing fetched from outside; the cache name carries a version so an
   upgrade installs a new cache and deletes the old ones. */
const PREFIX = "fazhi-field-";
const CACHE = PREFIX + "{{ version }}";
const ASSETS = {{ assets }};
const PAGES = {{ pages }};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(ASSETS.map((url) => cache.add(url).catch(() => null)));
    // Pages need the user's session: keep only real pages, never a redirect to the login form.
    await Promise.all(PAGES.map(async (url) => {
      try {
        const r = await fetch(url, {credentials: "same-origin"});
        if (r.ok && !r.redirected) await cache.put(url, r);
      } catch (e) { /* offline during install: the page is cached on its next visit */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isFieldPage(url) {
  return url.origin === self.location.origin && url.pathname.startsWith("/field/") &&
    !url.pathname.startsWith("/field/token/") && !url.pathname.endsWith("/submit/");
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const r = await fetch(request);
    if (r.ok && !r.redirected) await cache.put(request.url.split("?")[0], r.clone());
    return r;
  } catch (e) {
    const hit = await cache.match(request.url.split("?")[0]);
    if (hit) return hit;
    return new Response("<!doctype html><meta charset=utf-8><title>离线</title><p>当前没有网络，此页面尚未缓存。请联网后打开一次现场登记页面。</p>",
      {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const r = await fetch(request);
  if (r.ok) await cache.put(request, r.clone());
  return r;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isFieldPage(url)) event.respondWith(networkFirst(request));
  else if (ASSETS.includes(url.pathname)) event.respondWith(cacheFirst(request));
});
{% endautoescape %}
