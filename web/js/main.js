// Wiring: settings from the URL hash, one store, the scheduler's views, the
// worker client, the stepper and animator, window.pynet.
import buildInfo from "./build-info.js";
import { parseHash, toHash, checkSettings, checkPage, layerSizes, fitHidden, PAGE_DEFAULTS } from "./settings.js";
import { createStore } from "./store.js";
import { createClient } from "./client.js";
import { createTrainer } from "./trainer.js";
import { createScheduler } from "./scheduler.js";
import { createAnimator } from "./animator.js";
import { createStepper } from "./stepper.js";
import { flatten } from "./protocol.js";
import { createNetworkView } from "./views/network.js";
import { renderStatus } from "./views/status.js";
import { renderCaption } from "./views/caption.js";
import { renderExplain } from "./views/explain.js";
import { num } from "./math.js";
import { bindControls } from "./controls.js";
import { bindAnimControls } from "./anim-controls.js";
import { bindTour } from "./tour.js";
import { drawCompare } from "./views/compare-chart.js";
import { installApi } from "./api.js";
import { LIVE } from "./settings.js";
import { bindModelControls } from "./model-controls.js";
import { createOutputs } from "./outputs.js";
import { bindShare } from "./share.js";
import { bindEmbed } from "./embed.js";
import { bindIntro } from "./intro.js";
import { bindData, storedShape } from "./data-panel.js";
import { createRecovery } from "./recovery.js";
import { bindDiverged } from "./diverged.js";
import { bindPythonPanel } from "./python-panel.js";
import { registerOffline } from "./offline.js";
// ---- workbench (issue 18): the phase indicator, Copy link, the shelf, Speed governing Play
import { renderPhases } from "./views/phases.js";
import { bindCopyLink } from "./workbench/copy-link.js";
import { bindShelf } from "./workbench/shelf.js";
import { createPacedPlay, bindPacedControls, playRate } from "./workbench/paced-play.js";

// ms since navigation; `worker` holds the worker's phases on the same timeline.
const timings = { layout: null, ready: null, firstEpoch: null, worker: null };
const initial = parseHash(location.hash);
const MAX_NOTICE_ERRORS = 8; // a hash with thousands of bad keys gives a short notice
const hashNotice = (errors) => errors.length
  ? `Ignored in the URL: ${errors.slice(0, MAX_NOTICE_ERRORS).join("; ")}${errors.length > MAX_NOTICE_ERRORS
    ? ` (and ${errors.length - MAX_NOTICE_ERRORS} more)` : ""}. Using the defaults for those.` : null;
const PRESET_LAYERS = { chapter: [4, 2], wide: [64, 32, 10] };
const reduced = matchMedia("(prefers-reduced-motion: reduce)");

const store = createStore({
  settings: initial.settings,
  page: initial.page,
  phase: "loading",
  progress: { file: "", loaded: 0, total: buildInfo.total },
  error: null,
  snapshot: null,
  playing: false,
  selected: null,
  notice: hashNotice(initial.errors),
});

const inputName = (s) => (s.page.preset === "chapter" && s.snapshot ? "h" : "x");
// null: own data kept without its shape, drawn once Python answers
const layersNow = (s) => (s.snapshot ? s.snapshot.layers
  : PRESET_LAYERS[s.page.preset] || layerSizes(s.settings, storedShape()));

// ---- the clock, the animator and the views
const scheduler = createScheduler();
const animator = createAnimator({ invalidate: () => { scheduler.invalidate("network"); scheduler.invalidate("caption"); scheduler.invalidate("data"); } });
let live = null; // the latest play-loop snapshot {weights, glow, seq}: fast data, not in the store
let flatOf = { snap: null, weights: null };
const snapshotWeights = (snap) => {
  if (!snap) return null;
  if (flatOf.snap !== snap) flatOf = { snap, weights: flatten(snap.weights) };
  return flatOf.weights;
};

const tip = document.getElementById("edge-tip");
const view = createNetworkView({
  stage: document.getElementById("stage"),
  canvas: document.getElementById("edges"),
  svg: document.getElementById("network"),
  onSelect: (sel) => select(sel),
  onHover: (h) => {
    if (!h || h.weight == null) { tip.hidden = true; return; }
    const r = document.getElementById("stage").getBoundingClientRect();
    tip.textContent = `w${h.k + 1}${h.j + 1} (layer ${h.l}) = ${num(h.weight)}${h.share != null ? `, share ${num(h.share)}` : ""} — click to explain or edit`;
    tip.style.left = `${Math.min(h.clientX - r.left + 12, r.width - 260)}px`;
    tip.style.top = `${h.clientY - r.top + 12}px`;
    tip.hidden = false;
  },
});

function frame(now) {
  const s = store.get();
  view.setLayers(layersNow(s), inputName(s));
  const playing = s.playing && live;
  return {
    weights: playing ? live.weights : snapshotWeights(s.snapshot),
    step: playing ? null : animator.step,
    clock: playing ? { phase: "idle", layer: -1, u: 1 } : animator.clock(),
    kind: s.page.shares, glow: playing ? live.glow : null, playing: s.playing,
    now, selected: s.selected, reduced: reduced.matches,
  };
}
let lastPhase = "idle";
let lastWave = "idle"; // workbench: the caption and the phase indicator follow each layer of the wave
scheduler.add("network", (now) => {
  if (!layersNow(store.get())) return false;
  const f = frame(now);
  const more = view.draw(f);
  const wave = `${f.clock.phase}:${f.clock.layer}`;
  if (wave !== lastWave) { lastWave = wave; scheduler.invalidate("caption"); scheduler.invalidate("phases"); }
  if (f.clock.phase !== lastPhase) {
    lastPhase = f.clock.phase;
    scheduler.invalidate("caption");
    if (lastPhase === "idle") scheduler.invalidate("explain");
  }
  return more;
});
scheduler.add("caption", () => {
  const s = store.get();
  renderCaption(document.getElementById("caption"), {
    clock: s.playing ? null : animator.clock(), step: s.playing ? null : animator.step, kind: s.page.shares,
    playing: s.playing, snapshot: s.snapshot, preview: stepper.preview });
});
scheduler.add("phases", () => { // workbench
  const s = store.get();
  renderPhases(document.getElementById("phases"), { clock: animator.clock(), step: animator.step, playing: s.playing || s.paced });
});
scheduler.add("explain", () => {
  const s = store.get();
  renderExplain(document.getElementById("explain"), {
    selection: s.selected, step: animator.step, kind: s.page.shares, weights: snapshotWeights(s.snapshot),
    layout: view.layout, preview: stepper.preview, inputName: inputName(s), playing: s.playing,
  }, { onEdit: (l, k, j, text) => stepper.editWeight(l, k, j, text), onSelect: (sel) => select(sel) });
});

store.subscribe((s) => {
  renderStatus(document, s);
  scheduler.invalidate("network");
  scheduler.invalidate("caption");
  scheduler.invalidate("phases"); // workbench
  if (timings.firstEpoch === null && s.snapshot && s.snapshot.epoch >= 1) {
    timings.firstEpoch = performance.now();
  }
});
// the explain panel follows the selection, the kind and new snapshots (not every frame)
let explainKey = null;
store.subscribe((s) => {
  const key = [s.selected && JSON.stringify(s.selected), s.page.shares, s.playing ? null : s.snapshot, s.playing];
  if (explainKey && key.every((v, i) => v === explainKey[i])) return;
  explainKey = key;
  scheduler.invalidate("explain");
});
timings.layout = performance.now();

function select(sel) {
  store.set({ selected: sel });
}

// ---- Python
let resolveReady;
const ready = new Promise((r) => { resolveReady = r; });

// the chapter preset's sigmoid reading (Python's numbers for the tour); later
// snapshots (steps) do not repeat it
let chapterCase = null;
const remember = (r) => { if (r && r.sigmoid_case) chapterCase = r.sigmoid_case; return r; };

async function build(s) {
  if (s.page.preset) return remember(await client.call({ op: "preset", name: s.page.preset }));
  if (s.settings.dataset === "custom") { const r = await data.restore(s.settings); if (r) return r; }
  return client.call({ op: "init", settings: s.settings });
}

let recovery = null; // recovery.js (made below, once the client exists; load failures can come first)
const rawClient = createClient({
  onProgress: (p) => store.set({ progress: p }),
  onFailed: (error) => (recovery && recovery.failed(error)) || store.set({ phase: "error", error, playing: false }),
  onMessage: (msg) => {
    trainer.onWorkerMessage(msg);
    if (msg.type === "stopped" && msg.errorType === "DivergedError") divergence.diverged(msg.error);
    if (msg.type === "memory") memoryWaiters.splice(0).forEach((f) => f(msg));
  },
  onReady: async (m) => {
    if (recovery && recovery.pending) { await recovery.finish(); return; }
    timings.worker = Object.fromEntries(
      Object.entries(m.marks).map(([k, v]) => [k, Math.round(v - performance.timeOrigin)]));
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
    if (store.get().page.preset === "chapter") startChapter();
    resolveReady(store.get().snapshot);
  },
});

// the page's copy of settings, data and weights, and a worker restart that restores it (recovery.js)
recovery = createRecovery({ store, client: rawClient, applySettings: () => writeHash() });
const client = recovery.guard(rawClient, { onDiverged: (r) => divergence.diverged(r.error) });
const trainer = createTrainer(store, client, {
  glowKind: () => store.get().page.shares,
  onSnapshot: (msg) => {
    // the glow comes with some snapshots only: keep the latest
    live = { weights: msg.weights, glow: msg.glow || (live && live.glow), seq: msg.seq, workerMs: msg.workerMs };
    liveStats.busy = msg.busy ? { ...msg.busy, epoch: msg.epoch } : null; // kept after a pause
    liveStats.snapshots++;
    outputs.onSnapshot(msg);
    liveStats.workerMs.push(msg.workerMs);
    if (liveStats.workerMs.length > 200) liveStats.workerMs.shift();
    storeLive(msg);
    scheduler.invalidate("network");
    data.onSnapshot(msg);
  },
});
const liveStats = { snapshots: 0, workerMs: [], busy: null };
// The store is slow data: every subscriber re-renders on a change (text, buttons,
// hash), so while playing it follows the play loop at most every STORE_EVERY_MS
// (the network view reads `live` at display rate instead). Snapshots that carry
// losses go in at once; a trailing timer stores the last one of a quiet spell.
const STORE_EVERY_MS = 100;
let storedAt = -Infinity, storeTimer = null, unstored = null;
function storeLive(msg) {
  const prev = store.get().snapshot;
  if (msg.epoch === prev.epoch && msg.train_loss === undefined) return;
  const next = { ...prev, epoch: msg.epoch, cursor: msg.cursor, epoch_size: msg.epoch_size };
  if (msg.train_loss !== undefined) { next.train_loss = msg.train_loss; next.test_loss = msg.test_loss; }
  const wait = STORE_EVERY_MS - (performance.now() - storedAt);
  if (msg.train_loss === undefined && wait > 0) {
    unstored = msg;
    if (!storeTimer) storeTimer = setTimeout(() => {
      storeTimer = null;
      const m = unstored;
      unstored = null;
      if (m && store.get().playing) storeLive(m); // after a pause, refresh() has the final state
    }, wait);
    return;
  }
  unstored = null;
  storedAt = performance.now();
  store.set({ snapshot: next });
}
const stepper = createStepper({ store, trainer, animator });
// workbench: Speed governs Play (workbench/paced-play.js); a change of pace while playing switches loops
const paced = createPacedPlay({ store, trainer, onMax: () => play() });
let switching = false;
store.subscribe((s) => {
  if (switching || !s.playing || playRate(s.page.speed) === null) return;
  switching = true;
  pause().then(() => { switching = false; play(); });
});

function play() {
  if (paced.running) { pause(); return; } // workbench: Space toggles the paced loop too
  if (store.get().phase !== "ready" || store.get().playing) return;
  animator.clear();
  live = null;
  if (paced.start()) return; // workbench: below 1× Play trains at a watchable pace
  trainer.play();
}
async function pause() {
  await paced.stop(); // workbench
  const r = await trainer.pause();
  live = null;
  scheduler.invalidate("network");
  return r;
}

// ---- settings: Python's and the page's own
function writeHash() {
  history.replaceState(null, "", toHash(store.get().settings, store.get().page));
}

function setPage(partial) {
  const { page, errors } = checkPage(partial);
  if (errors.length) {
    const message = `setState: ${errors.join("; ")}`;
    store.set({ notice: message });
    throw new Error(message);
  }
  const before = store.get().page;
  store.set({ page: { ...before, ...page } });
  if ("speed" in page) animator.setSpeed(page.speed);
  if ("shares" in page && page.shares !== before.shares) trainer.replay();
  writeHash();
}

async function setState(partial, notice = null) {
  const pageKeys = Object.keys(partial || {}).filter((k) => Object.hasOwn(PAGE_DEFAULTS, k));
  const pagePart = Object.fromEntries(pageKeys.map((k) => [k, partial[k]]));
  const pyPart = Object.fromEntries(Object.entries(partial || {}).filter(([k]) => !Object.hasOwn(PAGE_DEFAULTS, k)));
  const { settings, errors } = checkSettings(pyPart);
  const { errors: pageErrors } = checkPage(pagePart);
  if (errors.length || pageErrors.length) {
    const message = `setState: ${[...errors, ...pageErrors].join("; ")}`;
    store.set({ notice: message });
    throw new Error(message);
  }
  // another data set alone: hidden sizes past its node limit are clamped to it, and the notice says so
  if ("dataset" in settings && !("hidden" in settings)) {
    const fit = fitHidden(store.get().settings.hidden, settings.dataset, storedShape());
    if (fit.note) { settings.hidden = fit.hidden; notice = notice ? `${notice} ${fit.note}` : fit.note; }
  }
  const presetBefore = store.get().page.preset;
  if (pageKeys.length) setPage(pagePart);
  const presetChanged = store.get().page.preset !== presetBefore;
  if (!Object.keys(settings).length && !presetChanged) {
    if (notice) store.set({ notice });
    return store.get().snapshot;
  }
  // live settings (pynet.settings.LIVE: learning_rate, ...) change while the worker keeps playing
  const live = !presetChanged && Object.keys(settings).every((k) => LIVE.includes(k));
  if (store.get().playing && !live) await pause();
  const before = { settings: store.get().settings, page: store.get().page };
  const merged = { ...store.get().settings, ...settings };
  // a change to Python's settings leaves the preset
  const page = Object.keys(settings).length ? { ...store.get().page, preset: "" } : store.get().page;
  store.set({ settings: merged, page, notice, selected: null });
  writeHash();
  if (store.get().phase !== "ready") return null;
  animator.clear();
  let snap;
  try {
    snap = page.preset
      ? remember(await trainer.request({ op: "preset", name: page.preset }))
      : await trainer.request({ op: "set_state", settings: merged });
  } catch (e) { // pynet refused (its message is the notice): the settings in force stay
    store.set({ settings: before.settings, page: before.page });
    writeHash();
    throw e;
  }
  store.set({ settings: snap.settings, snapshot: snap });
  if (page.preset === "chapter") startChapter();
  else tour.hide();
  return snap;
}

window.addEventListener("hashchange", () => {
  // Apply what the new hash names and changes, over the current state: a hash that
  // names only a preset (#preset=chapter) must not also reset Python's settings.
  const { settings, page, errors, given } = parseHash(location.hash);
  const now = store.get();
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const named = Object.fromEntries(given.filter((k) => !same(now.settings[k], settings[k]))
    .map((k) => [k, settings[k]]));
  const changed = Object.fromEntries(Object.entries(page).filter(([k, v]) => now.page[k] !== v));
  setState({ ...named, ...changed }, hashNotice(errors)).catch(() => {});
});

const divergence = bindDiverged(document, store, { trainer, recovery });
bindPythonPanel(document, store, { trainer, recovery, applySettings: (settings) => {
  store.set({ settings });
  writeHash();
} });

ready.then(() => registerOffline(store)); // after start-up: the cache fills in the background

function retry() {
  store.set({ phase: "loading", error: null, progress: { file: "", loaded: 0, total: buildInfo.total } });
  client.restart();
}

// ---- the chapter preset: show w11's numbers at once, and the tour
const tour = bindTour(document, (t) => {
  setPage({ shares: t.kind });
  store.set({ selected: t.select });
  animator.seek(t.phase, 0.7);
}, () => chapterCase);
async function startChapter() {
  await stepper.showPreview();
  store.set({ selected: { type: "edge", l: 0, k: 0, j: 0 } });
  tour.show(0);
}

// ---- the course rule vs the exact gradient
const compareButton = document.getElementById("compare-run");
const compareStatus = document.getElementById("compare-status");
let comparing = false;
store.subscribe((s) => { compareButton.disabled = s.phase !== "ready" || comparing; });
compareButton.addEventListener("click", async () => {
  comparing = true;
  compareButton.disabled = true;
  compareStatus.textContent = "Training both copies in the worker…";
  try {
    const r = await trainer.request({ op: "compare", epochs: 30 });
    drawCompare(document.getElementById("compare-chart"), r);
    const last = (a) => a[a.length - 1];
    compareStatus.textContent = `After ${r.epochs} epochs (η = ${r.learning_rate}): course rule ${num(last(r.course))}, exact gradient ${num(last(r.gradient))}.`;
  } catch (e) {
    compareStatus.textContent = e.message;
  } finally {
    comparing = false;
    compareButton.disabled = store.get().phase !== "ready";
  }
});

const data = bindData(document, { store, trainer, client, scheduler, animator, networkView: view, pause, setState });
bindControls(document, store, { play, pause, step: () => stepper.step(), setState, retry });
bindPacedControls(document, store); // workbench (after bindControls: it overrides the buttons while pacing)
bindCopyLink(document);
bindShelf(document);
// ---- issue 8: model controls, outputs, save/load/export, embed, first-visit panel
bindModelControls(document, store, { setState });
const outputs = createOutputs({ doc: document, store, trainer, scheduler, setPage });
const share = bindShare(document, store, { trainer, pause, ready, adopt: (snap) => {
  animator.clear();
  outputs.clear();
  store.set({ settings: snap.settings, snapshot: snap, page: { ...store.get().page, preset: "" }, selected: null });
  writeHash();
} });
bindEmbed(document, store);
bindIntro(document, store);
bindAnimControls(document, store, { play, pause, step: () => stepper.step(), setPage });
installApi(window, {
  ready, trainer: { ...trainer, play, pause }, setState, store, timings,
  stepSample: () => ready.then(() => stepper.step("sample")),
  stepWith: (g) => ready.then(() => stepper.step(g)),
  view: () => view.view(),
  seek: (phase, u) => animator.seek(phase, u),
  select,
  editWeight: (l, k, j, text) => stepper.editWeight(l, k, j, text),
  tour,
  share,
  crashWorker: () => client.send({ type: "crash" }),
  request: (req) => trainer.request(req),
  recoveryCopies: () => recovery.copies,
  memory: () => memory(),
  stats: () => ({ ...scheduler.stats(), snapshots: liveStats.snapshots,
                  workerMsMedian: median(liveStats.workerMs), lastStepMs: stepper.lastStepMs,
                  // the play loop's time by kind since Play, and the epoch it had reached (runtime.js)
                  workerBusy: liveStats.busy }),
}, data.api);
// JS heap (Chromium's performance.memory) and the worker's wasm heap, for the soak benchmark
function memory() {
  return new Promise((resolve) => {
    memoryWaiters.push((msg) => resolve({
      jsHeapBytes: performance.memory ? performance.memory.usedJSHeapSize : null, wasmBytes: msg.wasmBytes }));
    client.send({ type: "memory" });
  });
}
const memoryWaiters = [];
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[s.length >> 1] : null; };
