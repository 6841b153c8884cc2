// Wiring of the data side of the playground (issue 8): the data plot and its
// heatmap, digits' images, the features and discretize controls, own data
// (click to add, remove, clear, CSV paste/upload/export, kept in localStorage)
// and window.pynet's loadCSV/addPoint/exportData. Every number drawn comes
// from the facade (data, grid, predict); the heatmap while playing comes with
// the play loop's snapshots (runtime.js playGrid), so training never waits.
import buildInfo from "./build-info.js";
import { toHash, fitHidden } from "./settings.js";
import { createDataPlot } from "./views/data-plot.js";
import { drawDigits } from "./views/digits.js";
import { createThumbs } from "./views/network-thumbs.js";

/** Where own data is kept between visits (the CSV text of export_data). */
export const STORAGE_KEY = "pynet.data";
const DIGIT_SAMPLES = 40;
const PLAY_GRID_N = 25, STILL_GRID_N = 50;
const LONG_PRESS_MS = 500;
const DATA_SETTINGS = ["dataset", "samples", "noise", "seed", "train_ratio"];

function readStored() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

/** Kept beside the CSV: {chars (the CSV's length, to match it), shape, split}
 * from export_data: Python's shape of the data (to draw it before Python is
 * ready) and the train/test split the user saw (load_csv takes it back). */
export const META_KEY = "pynet.data.meta";
const count = (v, most) => Number.isInteger(v) && v >= 1 && v <= most;
function readMeta() {
  try {
    const csv = localStorage.getItem(STORAGE_KEY);
    const m = JSON.parse(localStorage.getItem(META_KEY));
    const shape = m && m.shape;
    const { limits } = buildInfo.settings;
    const { csv_features: features, csv_classes: classes } = limits;
    // a hand-edited or stale entry is not drawn from: Python answers soon anyway
    const nodes = shape && shape.hidden_nodes;
    const fits = csv && m && m.chars === csv.length && shape && count(shape.inputs, features) &&
      shape.outputs && Object.values(shape.outputs).every((n) => count(n, classes)) && count(shape.outputs.auto, classes) &&
      Array.isArray(nodes) && nodes.length === 2 && count(nodes[0], nodes[1]) && count(nodes[1], limits.hidden_nodes_wide[1]);
    return fits ? m : null;
  } catch { return null; }
}
let meta = readMeta();
/** Own data's shape as Python gave it when it was kept (null: none kept, or kept without it). */
export const storedShape = () => (meta ? meta.shape : null);
// set a DOM property only when it changes (these run on store changes, many per second while playing)
function put(el, prop, value) { if (el[prop] !== value) el[prop] = value; }
function putData(el, key, value) { if (el.dataset[key] !== value) el.dataset[key] = value; }

export function bindData(doc, { store, trainer, client, scheduler, animator, networkView, pause, setState }) {
  const $ = (id) => doc.getElementById(id);
  const plotSvg = $("data-plot");
  const plot = createDataPlot(plotSvg);
  const thumbs = createThumbs($("thumbs"));
  const message = $("data-message");
  let grid = null;          // the latest grid answer (fast data: not in the store)
  let data = null;          // the data op's answer for dataKey
  let points = null;        // data projected on the two plotted features
  let dataKey = null, projKey = null;
  let predicted = null;     // digits: predicted classes of the sample images
  let lastSnap = null, lastFeatures = null, lastPage = null, wasPlaying = false, playGridKey = null;
  let pyHasCustom = false;  // Python holds own data (dataset "custom" can be chosen)
  let refreshes = 0;
  let stored = readStored(); // the kept CSV text (read once; rewritten by save)
  let controlsKey = null;    // what syncControls last showed
  let thumbKey = null;       // what the thumbnails last showed

  const setPage = (page) => setState(page).catch((e) => say(e.message, true));
  let editCount = 0;        // own-data edits: the data is fetched again after each
  const say = (text, bad = false) => { message.textContent = text; message.classList.toggle("bad", bad); };
  const snap = () => store.get().snapshot;
  const isDigits = (s) => Boolean(s.snapshot) && s.snapshot.settings.dataset === "digits"; // what Python built, not what is asked
  const plotted = (s) => Boolean(s.snapshot) && !s.page.preset;
  const pair = (s) => {
    const n = s.snapshot ? s.snapshot.layers[0] : 2;
    const [i, j] = s.page.features.split(",").map(Number);
    return i < n && j < n ? [i, j] : [0, 1];
  };

  function writeHash() {
    history.replaceState(null, "", toHash(store.get().settings, store.get().page));
  }

  // ---- requests: data, grid, digits' predictions
  function gridRequest(s, n) {
    const sn = s.snapshot;
    if (!plotted(s) || isDigits(s) || !sn) return null;
    const layers = sn.layers;
    const params = layers.slice(1).reduce((a, v, i) => a + v * layers[i] + v, 0);
    const { grid_work: work, grid: [lo, hi] } = buildInfo.settings.limits;
    const size = Math.max(lo, Math.min(n, hi, Math.floor(Math.sqrt(work / params))));
    const req = { op: "grid", n: size, features: pair(s), neurons: layers[0] === 2, digits: 3 };
    if (sn.settings.dataset === "custom" && layers[0] === 2) {
      // own 2-D data keeps the 2-D sets' ±6 plane while its points fit in it, so the
      // plot does not jump as points are clicked in (else Python's default: the data's range)
      const all = data ? [...data.train_x, ...data.test_x] : [];
      if (all.every((x) => Math.abs(x[0]) <= 6 && Math.abs(x[1]) <= 6)) {
        req.x_range = [-6, 6]; req.y_range = [-6, 6];
      }
    }
    return req;
  }

  let gridBusy = false, gridAgain = false;
  async function refreshGrid() {
    if (gridBusy) { gridAgain = true; return; }
    gridBusy = true;
    try {
      do {
        gridAgain = false;
        const s = store.get();
        if (isDigits(s)) await refreshDigits();
        const req = gridRequest(s, STILL_GRID_N);
        if (!req) { grid = null; continue; }
        const r = await trainer.request(req, { quiet: true }).catch(() => null); // a stale shape: no news
        if (r && !store.get().playing) { grid = r; refreshes++; }
      } while (gridAgain);
    } finally {
      gridBusy = false;
      invalidate();
    }
  }

  async function refreshDigits() {
    if (!data || !data.test_x.length) { predicted = null; return; }
    // quiet: switching away from digits while this is on its way refuses it (the new
    // network has another width), which is no news to the user and must not replace
    // the page's notice (e.g. the hidden sizes fitted to the new data)
    const r = await trainer.request({ op: "predict", points: data.test_x.slice(0, DIGIT_SAMPLES) },
                                    { quiet: true }).catch(() => null);
    predicted = r && r.classes ? r.classes : null;
    invalidate();
  }

  async function fetchData(key) {
    const r = await trainer.request({ op: "data" }).catch(() => null);
    if (key !== dataKey) return;      // another change came meanwhile
    data = r;
    projKey = null;
    predicted = null;
    refreshGrid();
    invalidate();
  }

  function project(s) {
    const key = [dataKey, pair(s).join()].join("|");
    if (!data || key === projKey) return points;
    projKey = key;
    const [i, j] = pair(s);
    points = { train: data.train_x.map((x) => [x[i], x[j]]), test: data.test_x.map((x) => [x[i], x[j]]),
               trainY: data.train_y, testY: data.test_y };
    return points;
  }

  // the play loop's heatmap request (re)sent whenever what it asks for changes
  function syncPlayGrid(s, force = false) {
    const req = s.phase === "ready" ? gridRequest(s, PLAY_GRID_N) : null;
    if (req) { req.digits = 2; req.scaled = true; } // integers: cheaper for Python to round and send (decoded below)
    const key = JSON.stringify([req, s.snapshot && s.snapshot.layers]);
    if (!force && key === playGridKey) return;
    playGridKey = key;
    client.send({ type: "grid", request: req });
  }

  // ---- what the play loop sends
  let lastDigits = 0;
  function onSnapshot(msg) {
    if (msg.grid) {
      grid = unscale(msg.grid);
      refreshes++;
      invalidate();
    }
    const now = performance.now();
    if (isDigits(store.get()) && now - lastDigits > 1000) { lastDigits = now; refreshDigits(); }
  }

  // a grid answered with "scaled": true holds round(v * scale): back to the values
  function unscale(g) {
    if (!g.scale) return g;
    const back = (col) => col.map((v) => (v == null ? null : v / g.scale));
    const out = { ...g, outputs: g.outputs.map(back), scale: undefined };
    if (g.neurons) out.neurons = g.neurons.map((layer) => layer.map(back));
    return out;
  }

  function invalidate() {
    scheduler.invalidate("data");
    scheduler.invalidate("thumbs");
  }

  // ---- drawing
  scheduler.add("data", () => {
    const s = store.get();
    const sn = s.snapshot;
    putData($("data-view"), "mode", !plotted(s) ? "none" : isDigits(s) ? "digits" : "plot");
    put(plotSvg.style, "display", !plotted(s) || isDigits(s) ? "none" : ""); // (an svg has no `hidden` property)
    put($("digits"), "hidden", !isDigits(s));
    put($("feature-pick"), "hidden", !sn || sn.layers[0] <= 2 || isDigits(s));
    if (!sn || !data || !plotted(s)) return false;
    if (isDigits(s)) {
      const n = Math.min(DIGIT_SAMPLES, data.test_x.length);
      drawDigits($("digits"), { images: data.test_x.slice(0, n), actual: data.test_y.slice(0, n),
                                predicted, classes: data.classes, key: dataKey });
      return false;
    }
    const [i, j] = pair(s);
    const g = grid && grid.features && grid.features[0] === i && grid.features[1] === j &&
      grid.outputs.length === sn.layers[sn.layers.length - 1] ? grid : null;
    const last = sn.activations[sn.activations.length - 1];
    const step = animator.step;
    const sample = !s.playing && step && step.sample && step.granularity === "sample" ? step.sample : null;
    const span = data.kind === "regression" ? Math.max(1e-9, ...data.train_y.map(Math.abs)) : 1;
    plot.draw({ points: project(s), kind: data.kind, classCount: data.classes ? data.classes.length : 0,
                grid: g, outLo: last === "sigmoid" || last === "softmax" ? 0 : -1, span,
                discretize: s.page.discretize, highlight: sample ? [sample.x[i], sample.x[j]] : null,
                highlightIndex: sample ? sample.index : null,
                names: data.features ? [data.features[i], data.features[j]] : null });
    putData(plotSvg, "refreshes", String(refreshes));
    return false;
  });
  scheduler.add("thumbs", () => {
    const s = store.get();
    const layout = networkView.layout;
    const g = s.snapshot && s.snapshot.layers[0] === 2 && plotted(s) ? grid : null;
    const fits = g && g.neurons && layout && g.neurons.every((nodes, l) => nodes.length === layout.layers[l + 1]);
    const key = [layout, fits ? g : null, s.page.discretize];
    if (thumbKey && key.every((v, i) => v === thumbKey[i])) return false;
    thumbKey = key;
    thumbs.draw(layout, fits ? g : null, s.snapshot ? s.snapshot.activations : null, s.page.discretize);
    return false;
  });

  // ---- the store: new data, new weights, controls' values
  store.subscribe((s) => {
    scheduler.invalidate("thumbs");
    if (s.phase !== "ready" || !s.snapshot) { syncControls(s); return; }
    if (s.snapshot.settings.dataset === "custom") pyHasCustom = true;
    const key = JSON.stringify([DATA_SETTINGS.map((k) => s.snapshot.settings[k]), s.snapshot.train_size,
                                s.snapshot.test_size, s.snapshot.features, s.page.preset, editCount]);
    if (key !== dataKey) {
      dataKey = key; data = null; grid = null; fetchData(key);
      // own data split anew (another seed or train_ratio): keep that split for a reload
      const sp = meta && meta.split, now = s.snapshot.settings;
      if (now.dataset === "custom" && sp && (sp.seed !== now.seed || sp.train_ratio !== now.train_ratio)) save().catch(() => {});
    }
    else if (!s.playing && (s.snapshot !== lastSnap || s.page.features !== lastFeatures)) refreshGrid();
    lastSnap = s.snapshot;
    lastFeatures = s.page.features;
    syncPlayGrid(s, s.playing && !wasPlaying);
    // while playing, the play loop's grids redraw the plot; other changes only when they matter
    if (!s.playing || s.playing !== wasPlaying || s.page !== lastPage) invalidate();
    wasPlaying = s.playing;
    lastPage = s.page;
    syncControls(s);
  });

  function syncControls(s) {
    const sn = s.snapshot;
    const key = [s.phase, sn && sn.settings, sn && sn.layers, sn && sn.scaling, s.page, stored, pyHasCustom];
    if (controlsKey && key.every((v, i) => v === controlsKey[i])) return;
    controlsKey = key;
    $("discretize").checked = s.page.discretize;
    const custom = $("dataset").querySelector('option[value="custom"]');
    if (custom) custom.disabled = !(stored || pyHasCustom);
    $("data-scaling").textContent = sn && sn.scaling ? `Input scaling: ${sn.scaling}.` : "";
    $("data-storage").textContent = stored
      ? `Your own data (${stored.trim().split("\n").length - 1} points) is kept in this browser's localStorage under the key “${STORAGE_KEY}”; it never leaves this computer.`
      : `Your own data, once you add points or load a CSV, is kept in this browser's localStorage under the key “${STORAGE_KEY}”.`;
    if (!sn) return;
    const names = sn.features || [];
    const [i, j] = pair(s);
    for (const [id, v] of [["feature-x", i], ["feature-y", j]]) {
      const sel = $(id);
      if (sel.dataset.names !== names.join("|")) {
        sel.replaceChildren(...names.map((n, k) => new Option(n, String(k))));
        sel.dataset.names = names.join("|");
      }
      sel.value = String(v);
    }
    const cls = $("point-class");
    const classes = sn.classes || [];
    if (cls.dataset.names !== classes.join("|")) {
      cls.replaceChildren(...classes.map((n) => new Option(n, n)));
      cls.dataset.names = classes.join("|");
      if (classes.length > 1) cls.value = classes[classes.length - 1];
    }
    // clicking the plot adds points only where a point is two numbers as the user gives them
    const editable = sn.layers[0] === 2 && !s.page.preset;
    $("class-label").hidden = !editable || !classes.length;
    $("target-label").hidden = !editable || sn.kind !== "regression";
    $("remove-mode").hidden = !editable;
    $("data-view").classList.toggle("editable", editable);
    $("data-hint").hidden = !editable;
    $("data-legend").hidden = isDigits(s);
    $("discretize").parentElement.hidden = isDigits(s);
  }

  // ---- own data
  async function save() {
    const r = await trainer.request({ op: "export_data" });
    try {
      localStorage.removeItem(META_KEY); // never beside another CSV
      meta = null;
      localStorage.setItem(STORAGE_KEY, r.csv);
      stored = r.csv;
      const m = { chars: r.csv.length, shape: r.shape, split: r.split };
      localStorage.setItem(META_KEY, JSON.stringify(m));
      meta = m;
    } catch (e) {
      say(`Could not keep your data in this browser's storage (${e.message}); export it as CSV to keep it.`, true);
    }
    syncControls(store.get());
    return r.csv;
  }

  async function afterEdit() {
    editCount++;
    const sn = await trainer.refresh();
    store.set({ settings: sn.settings });
    writeHash();
    await save();
    return sn;
  }

  function labelFor(other) {
    const sn = snap();
    if (sn.kind === "regression") {
      const v = Number($("point-target").value) || 0;
      return other ? -v : v;
    }
    const classes = sn.classes;
    const k = classes.indexOf($("point-class").value);
    return other ? classes[(k + 1) % classes.length] : classes[Math.max(0, k)];
  }

  async function addPoint(x1, x2, label) {
    const sn = snap();
    if (!sn) throw new Error("addPoint: pynet is not ready yet");
    await trainer.request({ op: "add_point", x: [x1, x2], label, set: "train" });
    return afterEdit();
  }
  async function removePoint(set, index) {
    await trainer.request({ op: "remove_point", set, index });
    return afterEdit();
  }
  async function clearData() {
    await trainer.request({ op: "clear" });
    return afterEdit();
  }

  // split/settings: the kept data's split and settings its shape needs (the page's own use)
  async function loadCSV(text, split = null, settings = {}) {
    if (store.get().playing) await pause();
    const r = await trainer.request({ op: "load_csv", text, split, settings });
    editCount++;
    store.set({ settings: r.settings, snapshot: r, selected: null });
    writeHash();
    await save();
    const z = r.hidden_resized; // Python fitted the hidden sizes to the new data's limit
    say(`Loaded ${r.rows} rows: ${r.features.length} features, ${r.kind === "classes" ? `${r.classes.length} classes` : "a regression target"}.${
      z ? ` Hidden layers resized for this data, which allows ${z.nodes[0]}–${z.nodes[1]} nodes per layer: ${z.from.join(",")} → ${z.to.join(",")}.` : ""}`);
    return r;
  }
  async function exportData() {
    const r = await trainer.request({ op: "export_data" });
    return r.csv;
  }

  /** Own data kept in this browser, loaded with the hash's settings (null: none kept). */
  function restore(settings) {
    const text = stored;
    if (!text) return null;
    const { dataset, ...rest } = settings;
    return client.call({ op: "load_csv", text, settings: rest, split: meta ? meta.split : null });
  }

  // ---- the plot: click to add, Shift/long-press for the other class, Alt or Remove mode to remove
  let press = null;
  const removing = () => $("remove-mode").getAttribute("aria-pressed") === "true";
  function act(ev, other) {
    const s = store.get();
    if (s.phase !== "ready" || !s.snapshot || s.snapshot.layers[0] !== 2 || s.page.preset) return;
    if (ev.altKey || removing()) {
      const hit = plot.nearest(ev);
      if (!hit) { say("No point near there to remove."); return; }
      removePoint(hit.set, hit.index).then(() => say(`Removed a ${hit.set} point.`)).catch((e) => say(e.message, true));
      return;
    }
    const at = plot.toData(ev);
    if (!at) return;
    const label = labelFor(other);
    addPoint(at[0], at[1], label).then(() => say(`Added a point of ${snap().kind === "regression" ? "target" : "class"} ${label}.`))
      .catch((e) => say(e.message, true));
  }
  plotSvg.addEventListener("pointerdown", (ev) => {
    press = { x: ev.clientX, y: ev.clientY, done: false, timer: null };
    if (ev.pointerType === "touch") {
      const p = press;
      p.timer = setTimeout(() => { p.done = true; act(ev, true); }, LONG_PRESS_MS);
    }
  });
  plotSvg.addEventListener("pointermove", (ev) => {
    if (press && Math.hypot(ev.clientX - press.x, ev.clientY - press.y) > 10) { clearTimeout(press.timer); press = null; }
  });
  plotSvg.addEventListener("pointerup", (ev) => {
    if (!press) return;
    clearTimeout(press.timer);
    const p = press;
    press = null;
    if (!p.done) act(ev, ev.shiftKey);
  });
  plotSvg.addEventListener("contextmenu", (ev) => { if (store.get().snapshot && store.get().snapshot.layers[0] === 2) ev.preventDefault(); });

  // ---- controls
  $("discretize").addEventListener("change", (e) => setPage({ discretize: e.target.checked }));
  const pick = () => {
    const i = $("feature-x").value, j = $("feature-y").value;
    if (i === j) { say("Choose two different features for the axes."); return; }
    setPage({ features: `${i},${j}` });
  };
  $("feature-x").addEventListener("change", pick);
  $("feature-y").addEventListener("change", pick);
  $("remove-mode").addEventListener("click", (e) => {
    e.currentTarget.setAttribute("aria-pressed", String(!removing()));
  });
  $("data-clear").addEventListener("click", () => clearData().then(() => say("Cleared: no points left.")).catch((e) => say(e.message, true)));
  $("data-export").addEventListener("click", async () => {
    const csv = await exportData();
    const a = doc.createElement("a");
    a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    a.download = "pynet-data.csv";
    doc.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  $("csv-load").addEventListener("click", () => loadCSV($("csv-text").value).catch((e) => say(e.message, true)));
  $("csv-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const text = await file.text();
    loadCSV(text).catch((err) => say(`${file.name}: ${err.message}`, true));
    e.target.value = "";
  });
  // "your data" when Python has none yet (a fresh visit): load the kept CSV instead
  $("dataset").addEventListener("change", (e) => {
    if (e.target.value !== "custom" || pyHasCustom) return;
    e.stopImmediatePropagation();
    const text = stored;
    if (!text) { say("There is no own data yet: click the plot or load a CSV.", true); syncControls(store.get()); return; }
    const fit = fitHidden(store.get().settings.hidden, "custom", storedShape());
    loadCSV(text, meta ? meta.split : null, fit.note ? { hidden: fit.hidden } : {})
      .then(() => { if (fit.note) say(fit.note); }).catch((err) => say(err.message, true));
  }, { capture: true });

  return {
    /** The build request for the hash's dataset=custom: the own data kept in this browser (or null). */
    restore,
    /** Each play-loop snapshot (its heatmap grid, if any). */
    onSnapshot,
    /** window.pynet additions (README "Data and heatmap"). */
    api: { loadCSV: (text) => loadCSV(text), addPoint, exportData },
  };
}
