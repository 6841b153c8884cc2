// Offline: register the service worker (sw.js, at the site's root, so it
// works from any sub-path) once the page is ready, and say on the page when a
// newer build is waiting (it takes over once no tab uses this one).
// Registration failing (a browser or host without service workers, file
// previews, tests that block them) only means no offline start.

const NEWER = "A newer version of pynet is available: close this tab (and any other pynet tab) and open it again to use it.";

export function registerOffline(store) {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  const script = new URL("../sw.js", import.meta.url);
  return navigator.serviceWorker.register(script, { scope: new URL("../", import.meta.url).pathname })
    .then((reg) => {
      const say = () => store.set({ notice: NEWER, updateWaiting: true });
      // a worker is waiting (or will be) while an older one controls this page
      if (reg.waiting && navigator.serviceWorker.controller) say();
      reg.addEventListener("updatefound", () => {
        const next = reg.installing;
        if (!next) return;
        next.addEventListener("statechange", () => {
          if (next.state === "installed" && navigator.serviceWorker.controller) say();
        });
      });
      return reg;
    })
    .catch((e) => {
      console.info(`pynet: no offline start (${e.message || e})`);
      return null;
    });
}
