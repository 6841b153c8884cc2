// The service worker: after one visit, the page starts without the network.
// build.py writes BUILD: this build's version, the exact list of its files
// with their sha256, and which of them are optional (the heap snapshot: a first
// visit over a slow link boots without it).
//
// Install fills a cache named after the version from what the first visit
// already downloaded: the runtime files the Python worker fetched (it keeps a
// copy of each in the cache STAGING), the rest through the HTTP cache
// ("force-cache"), so nothing is downloaded twice; only a file neither holds,
// or holds from another build, is fetched again. Every file is
// checked against its sha256; a required file that does not match fails the
// install as a whole (never a cache mixing two builds). An optional file is
// cached only if the visit fetched it; otherwise it is fetched, checked and
// cached the first time a page asks for it.
//
// Requests for the build's files are answered from that cache; a miss goes to
// the network and is served only if its sha256 is this build's (a deploy in
// between would otherwise mix two builds in one page). A new build's worker
// waits until no page uses the old one (no skipWaiting) and never claims a
// page it did not serve (no clients.claim: the first visit's page may be of
// another build than a worker installed during it); the page says a newer
// version is available. On activate, the caches of other versions are deleted.
const BUILD = /* written by build.py */ {"version": "dev", "files": {}, "optional": []};
const CACHE = `pynet-${BUILD.version}`;
const STAGING = "pynet-fetched"; // what the page's Python worker fetched (web/js/worker/fetch-progress.js)
const BASE = new URL("./", self.location.href); // the site's root, wherever it is hosted
const OPTIONAL = new Set(BUILD.optional || []);
const PARALLEL = 6; // reads at once during install (from the HTTP cache, mostly)

/** The site-relative path of a URL of this site ("" -> index.html), or null. */
function fileOf(url) {
  const u = new URL(url);
  if (u.origin !== BASE.origin || !u.pathname.startsWith(BASE.pathname)) return null;
  const rel = decodeURIComponent(u.pathname.slice(BASE.pathname.length)) || "index.html";
  return Object.hasOwn(BUILD.files, rel) ? rel : null;
}

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The response for `rel` if its body is this build's file, else null (the body is read once). */
async function checked(rel, resp) {
  if (!resp || !resp.ok) return null;
  const body = await resp.arrayBuffer();
  if (hex(await crypto.subtle.digest("SHA-256", body)) !== BUILD.files[rel]) return null;
  // only the type: the body is decoded already (no Content-Encoding, another length)
  return new Response(body, { status: 200, headers: { "Content-Type": resp.headers.get("Content-Type") || "" } });
}

/** This build's `rel`, through the HTTP cache first, then (once) from the server. */
async function fetchChecked(rel, staging, { cachedOnly = false } = {}) {
  const url = new URL(rel, BASE).href;
  const staged = await checked(rel, await staging.match(url));
  if (staged) return staged;
  if (rel === "index.html") { // the visit most likely fetched it as the site's root, "./"
    try {
      const root = await checked(rel, await fetch(BASE.href, { cache: "only-if-cached", mode: "same-origin" }));
      if (root) return root;
    } catch { /* not cached under that name: read it as index.html */ }
  }
  try {
    const cached = await checked(rel, await fetch(url, cachedOnly
      ? { cache: "only-if-cached", mode: "same-origin" } : { cache: "force-cache" }));
    if (cached || cachedOnly) return cached;
  } catch (e) {
    if (cachedOnly) return null; // not in the HTTP cache: an optional file waits to be asked for
  }
  // not in the HTTP cache, or another build's copy there: the server's, checked
  return checked(rel, await fetch(url, { cache: "reload" }));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const staging = await caches.open(STAGING);
    const queue = Object.keys(BUILD.files);
    const worker = async () => {
      for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
        const optional = OPTIONAL.has(rel);
        const resp = await fetchChecked(rel, staging, { cachedOnly: optional });
        if (resp) await cache.put(new URL(rel, BASE).href, resp);
        else if (!optional) throw new Error(`${rel}: not the file of build ${BUILD.version}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    await caches.delete(STAGING);
  })().catch(async (e) => {
    await caches.delete(CACHE); // nothing half-cached stays behind
    throw e;
  }));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("pynet-") && name !== CACHE && name !== STAGING) await caches.delete(name);
    }
  })());
});

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const rel = fileOf(event.request.url);
  if (rel === null) return; // not a file of this build: the network as usual
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const url = new URL(rel, BASE).href;
    const hit = await cache.match(url);
    if (hit) return hit;
    // a miss (an optional file, or a cache the browser emptied): this build's file or an error
    let fetched;
    try {
      fetched = await fetch(url, { cache: "no-store" });
    } catch {
      return Response.error(); // offline: a network error, as without a service worker
    }
    const resp = await checked(rel, fetched);
    if (!resp) {
      return new Response(`${rel}: this page runs build ${BUILD.version}, and the server no longer ` +
                          "has that file (a newer version was deployed): reload the page", {
        status: 503, statusText: "Another build", headers: { "Content-Type": "text/plain" } });
    }
    await cache.put(url, resp.clone());
    return resp;
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "version" && event.source) event.source.postMessage({ version: BUILD.version });
});
