// Recovery: the page's own copy of what the learner has (settings, own data,
// the last good weights), and putting it back into a fresh Python worker when
// the old one is stopped (a runaway panel run) or dies (a crash).
//
// Why on the page: an infinite loop cannot be interrupted inside Pyodide
// without SharedArrayBuffer, so the only way out is to terminate the worker,
// and everything that lived only there is gone with it. The copy is plain
// text from the facade (export_model's JSON, export_data's CSV), refreshed
// after every change that is not playing (step, pause, edit, panel run) and
// every SAVE_EVERY_MS while playing. No network math here.

/** A panel run longer than this (ms) is stopped: the worker is replaced. */
export const RUN_LIMIT_MS = 5000;
/** While playing, the weights are copied to the page this often (ms). */
export const SAVE_EVERY_MS = 2000;
/** A copy is taken this long (ms) after the last change while not playing. */
const QUIET_MS = 250;
/** More automatic restarts than this within RESTART_WINDOW_MS: give up and show Retry. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** @param {{store: any, client: any, applySettings?: (settings: import("./types").Settings) => void}} parts */
export function createRecovery({ store, client, applySettings = () => {} }) {
  // latest: the newest copy (also taken while playing) -- used after a crash.
  // settled: the newest copy taken while not playing -- "the last good weights"
  // after a divergence (copies taken while playing may already be exploding).
  let latest = null;
  let settled = null;
  let restarting = null; // {reason, copy} while a fresh worker boots
  let restarts = [];
  let saving = null;
  let saveAgain = false;
  let timer = null;
  let wasReady = false;

  /** Copy the live model (and own data) from the worker to the page. */
  async function save() {
    if (saving) { saveAgain = true; return saving; }
    saving = (async () => {
      const s = store.get();
      if (s.phase !== "ready" || restarting) return;
      const playing = s.playing;
      // one answer, so settings, weights, epoch and data belong together
      const reuse = playing && latest && latest.data; // training does not change the data
      const c = await client.call({ op: "checkpoint", data: !reuse });
      if (!c.ok) return;
      const now = store.get();
      const kept = reuse && c.settings.dataset === "custom";
      const copy = { settings: c.settings, page: { ...now.page }, model: c.json, epoch: c.epoch,
                     data: c.data ?? (kept ? latest.data : null),
                     split: c.split ?? (kept ? latest.split : null), // own data's train/test split
                     table: c.table ?? (kept ? latest.table : null) };   // and what its CSV cannot say
      latest = copy;
      if (!playing && !now.playing && !now.diverged) settled = copy; // never a diverged state
    })().catch(() => {}).finally(() => {
      saving = null;
      if (saveAgain) { saveAgain = false; save(); }
    });
    return saving;
  }

  // Follow the store: a new snapshot while not playing -> copy; playing -> copy every SAVE_EVERY_MS.
  let lastSnap = null;
  let quiet = null;
  store.subscribe((s) => {
    if (s.phase === "ready") wasReady = true;
    if (s.phase !== "ready" || restarting) return;
    if (s.playing && !timer) timer = setInterval(save, SAVE_EVERY_MS);
    if (!s.playing && timer) { clearInterval(timer); timer = null; }
    if (!s.playing && s.snapshot && s.snapshot !== lastSnap) {
      lastSnap = s.snapshot;
      // after a quiet moment: stepping in quick succession (a held → key) copies once
      clearTimeout(quiet);
      quiet = setTimeout(save, QUIET_MS);
    }
  });

  /** Replace the worker and restore the page's copy into the new one; `reason` is said on the page. */
  function restart(reason) {
    const now = performance.now();
    restarts = restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    restarts.push(now);
    const copy = latest;
    restarting = { reason, copy };
    if (timer) { clearInterval(timer); timer = null; }
    if (restarts.length > MAX_RESTARTS) {
      store.set({ phase: "error", playing: false,
        error: { message: `${reason} Python was restarted ${MAX_RESTARTS} times within a minute; ` +
                          "press Retry to try once more (your settings, data and weights are kept)." } });
      return;
    }
    store.set({ phase: "loading", playing: false, notice: `${reason} Restarting Python…`,
                progress: { file: "", loaded: 0, total: store.get().progress.total } });
    client.restart();
  }

  /** The fresh worker is ready: rebuild from the copy (facade op restore). Resolves to the new state. */
  async function finish() {
    const { reason, copy } = restarting;
    const settings = copy ? copy.settings : store.get().settings;
    const page = copy ? copy.page : store.get().page;
    const restored = ["the settings"];
    const useData = Boolean(copy && copy.data != null && settings.dataset === "custom");
    if (useData) restored.push("your data");
    if (copy && copy.model) restored.push(`the weights of epoch ${copy.epoch}`);
    const r = await client.call({ op: "restore", settings, preset: page.preset || null,
                                  data: useData ? copy.data : null, split: useData ? copy.split : null,
                                  table: useData ? copy.table : null,
                                  json: copy ? copy.model : null });
    let said = `${reason} Python was restarted and ${joinWords(restored)} restored.`;
    if (!r.ok) { // the copy did not fit any more: say so and start from the defaults
      said = `${reason} Python was restarted, but nothing could be restored (${r.error}); ` +
             "it started from the default settings.";
      await client.call({ op: "init", settings: {} });
    }
    const st = await client.call({ op: "state" });
    restarting = null;
    if (!st.ok) {
      store.set({ phase: "error", error: { message: `pynet could not restart: ${st.error}` } });
      return null;
    }
    store.set({ settings: st.settings, page, snapshot: st, phase: "ready", playing: false, selected: null,
                notice: said });
    applySettings(st.settings);
    return st;
  }

  /** The worker failed. Before the page was ever ready it is a load error (false: not handled here). */
  function failed(error) {
    if (!wasReady) return false;
    if (restarting) { // the fresh worker failed to load: show it (Retry boots again and restores)
      store.set({ phase: "error", error, playing: false });
      return true;
    }
    restart(`The Python worker crashed (${error.message || error}).`);
    return true;
  }

  /** Wrap a client: an answer that says Python itself threw (the facade never raises) is a
   * crash; a DivergedError answer (a step) goes to whenDiverged's function. */
  /** @type {(answer: {error: string}) => void} */
  let onDiverged = () => {};
  function guard(raw) {
    return {
      ...raw,
      call: (req) => raw.call(req).then((r) => {
        if (r && r.ok === false && typeof r.error === "string" && r.error.startsWith("Python error:")
            && !restarting) {
          restart(`Python failed (${r.error}).`);
        }
        if (r && r.ok === false && r.type === "DivergedError") onDiverged(r);
        return r;
      }),
    };
  }

  return {
    save, restart, finish, failed, guard,
    /** Who hears of a DivergedError answer through a guarded client (the divergence panel). */
    whenDiverged(fn) { onDiverged = fn; },
    /** A fresh worker is booting to restore the copy. */
    get pending() { return restarting !== null; },
    /** The page's copies (for tests and the divergence panel): {latest, settled}. */
    get copies() { return { latest, settled }; },
    /** Put the settled copy back into the live worker (divergence recovery), with these
     * settings changed (e.g. a lower learning_rate); resolves to {copy, state}. */
    async restoreSettled(changes = {}) {
      const copy = settled;
      if (!copy) throw new Error("no earlier weights were saved on the page");
      const settings = { ...copy.settings, ...changes };
      const useData = copy.data != null && settings.dataset === "custom";
      const r = await client.call({ op: "restore", settings, preset: copy.page.preset || null,
                                    data: useData ? copy.data : null, split: useData ? copy.split : null,
                                    table: useData ? copy.table : null, json: copy.model });
      if (!r.ok) throw new Error(r.error);
      store.set({ settings: r.settings, snapshot: r, selected: null });
      applySettings(r.settings);
      return { copy, state: r };
    },
  };
}

const joinWords = (parts) => (parts.length < 2 ? parts.join("")
  : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`);
