// The service worker: after one visit, the page starts without the network.
// build.py writes BUILD: this build's version and the exact list of its files
// with their sha256. Install fetches every file, checks its hash and caches
// them under a cache named after the version (a file that does not match
// fails the install: never a cache mixing two builds). Requests for those
// files are answered from that cache first. A new build's worker waits until
// no page uses the old one (no skipWaiting: a running page never gets files
// of another build); the page says a newer version is available. On activate,
// the caches of other versions are deleted.
const BUILD = /* written by build.py */ {"version": "dev", "files": {}};
const CACHE = `pynet-${BUILD.version}`;
const BASE = new URL("./", self.location.href); // the site's root, wherever it is hosted

/** The site-relative path of a URL of this site ("" -> index.html), or null. */
function fileOf(url) {
  const u = new URL(url);
  if (u.origin !== BASE.origin || !u.pathname.startsWith(BASE.pathname)) return null;
  const rel = decodeURIComponent(u.pathname.slice(BASE.pathname.length)) || "index.html";
  return Object.hasOwn(BUILD.files, rel) ? rel : null;
}

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const [rel, sha] of Object.entries(BUILD.files)) {
      const url = new URL(rel, BASE).href;
      const resp = await fetch(url, { cache: "no-store" });
      if (!resp.ok) throw new Error(`${rel}: HTTP ${resp.status}`);
      const got = hex(await crypto.subtle.digest("SHA-256", await resp.clone().arrayBuffer()));
      if (got !== sha) throw new Error(`${rel}: not the file of build ${BUILD.version} (sha256 ${got.slice(0, 12)}…)`);
      await cache.put(url, resp);
    }
  })().catch(async (e) => {
    await caches.delete(CACHE); // nothing half-cached stays behind
    throw e;
  }));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("pynet-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim(); // the first visit's page is this build: serve it too
  })());
});

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const rel = fileOf(event.request.url);
  if (rel === null) return; // not a file of this build: the network as usual
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(new URL(rel, BASE).href);
    return hit || fetch(event.request);
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "version" && event.source) event.source.postMessage({ version: BUILD.version });
});
