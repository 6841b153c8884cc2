// Start-up: once the worker says Python is ready, build what the URL asks for
// (a preset, own data kept in this browser, or the settings), fall back to the
// defaults if Python refuses them, and resolve `ready` (window.pynet.ready).

export function createStartup({ store, client, recovery, data, actions, timings }) {
  let resolveReady;
  const ready = new Promise((r) => { resolveReady = r; });

  async function build(s) {
    if (s.page.preset) return actions.remember(await client.call({ op: "preset", name: s.page.preset }));
    if (s.settings.dataset === "custom") { const r = await data.restore(s.settings); if (r) return r; }
    return client.call({ op: "init", settings: s.settings });
  }

  /** The worker's "ready" message ({ms, marks}). */
  async function onReady(m) {
    if (recovery.pending) { await recovery.finish(); return; }
    timings.worker = Object.fromEntries(
      Object.entries(m.marks).map(([k, v]) => [k, Math.round(/** @type {number} */ (v) - performance.timeOrigin)]));
    const r = await build(store.get());
    if (!r.ok) { // settings Python rejects: say so, fall back to the defaults
      store.set({ notice: `Settings not accepted: ${r.error}. Using the defaults.` });
      const d = await client.call({ op: "init", settings: {} });
      if (!d.ok) {
        store.set({ phase: "error", error: { message: `pynet could not start: ${d.error}` } });
        return;
      }
      store.set({ settings: d.settings, snapshot: d, phase: "ready" });
    } else {
      store.set({ snapshot: r, phase: "ready" });
    }
    timings.ready = performance.now();
    if (store.get().page.preset === "chapter") actions.startChapter();
    resolveReady(store.get().snapshot);
  }

  return { ready, onReady };
}
