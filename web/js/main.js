// Wiring: settings from the URL hash, one store, views subscribed to it, the worker client.
import buildInfo from "./build-info.js";
import { parseHash, toHash, checkSettings, layerSizes } from "./settings.js";
import { createStore } from "./store.js";
import { createClient } from "./client.js";
import { createTrainer } from "./trainer.js";
import { drawNetwork } from "./views/network.js";
import { renderStatus } from "./views/status.js";
import { bindControls } from "./controls.js";
import { installApi } from "./api.js";

// ms since navigation; `worker` holds the worker's phases on the same timeline.
const timings = { layout: null, ready: null, firstEpoch: null, worker: null };
const initial = parseHash(location.hash);
const hashNotice = (errors) => errors.length
  ? `Ignored in the URL: ${errors.join("; ")}. Using the defaults for those.` : null;

const store = createStore({
  settings: initial.settings,
  phase: "loading",
  progress: { file: "", loaded: 0, total: buildInfo.total },
  error: null,
  snapshot: null,
  playing: false,
  notice: hashNotice(initial.errors),
});

// Views: functions of the state.
const svg = document.getElementById("network");
let drawn = null;
store.subscribe((s) => {
  const layers = s.snapshot ? s.snapshot.layers : layerSizes(s.settings);
  const weights = s.snapshot ? s.snapshot.weights : null;
  if (drawn !== s.snapshot || !s.snapshot) drawNetwork(svg, layers, weights);
  drawn = s.snapshot;
  renderStatus(document, s);
  if (timings.firstEpoch === null && s.snapshot && s.snapshot.epoch >= 1) {
    timings.firstEpoch = performance.now();
  }
});
timings.layout = performance.now();

let resolveReady;
const ready = new Promise((r) => { resolveReady = r; });

const client = createClient({
  onProgress: (p) => store.set({ progress: p }),
  onFailed: (error) => store.set({ phase: "error", error, playing: false }),
  onReady: async (m) => {
    timings.worker = Object.fromEntries(
      Object.entries(m.marks).map(([k, v]) => [k, Math.round(v - performance.timeOrigin)]));
    const r = await client.call({ op: "init", settings: store.get().settings });
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
    resolveReady(store.get().snapshot);
  },
});
const trainer = createTrainer(store, client);

async function setState(partial, notice = null) {
  const { settings, errors } = checkSettings(partial);
  if (errors.length) {
    const message = `setState: ${errors.join("; ")}`;
    store.set({ notice: message });
    throw new Error(message);
  }
  const merged = { ...store.get().settings, ...settings };
  history.replaceState(null, "", toHash(merged));
  store.set({ settings: merged, notice, playing: false });
  if (store.get().phase !== "ready") return null;
  const snap = await trainer.request({ op: "set_state", settings: merged });
  store.set({ settings: snap.settings, snapshot: snap });
  return snap;
}

window.addEventListener("hashchange", () => {
  const { settings, errors } = parseHash(location.hash);
  setState(settings, hashNotice(errors)).catch(() => {});
});

function retry() {
  store.set({ phase: "loading", error: null, progress: { file: "", loaded: 0, total: buildInfo.total } });
  client.restart();
}

bindControls(document, store, { ...trainer, setState, retry });
installApi(window, { ready, trainer, setState, store, timings });
