// Settings: defaults, limits and the URL hash that mirrors them.
import buildInfo from "./build-info.js";

// Defaults, limits and the table of settings come from pynet/page/settings.py, written
// into build-info.js by build.py.
const { defaults, limits } = buildInfo.settings;
export const DEFAULTS = Object.freeze(defaults);

// A value or key from the URL quoted in a notice: at most 60 characters (a 100 kB hash
// must not become a 100 kB notice). Notices are text (textContent), never HTML.
const MAX_QUOTE = 60;
export const show = (raw) => {
  const text = String(raw);
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}… (${text.length} characters)` : text;
};

// A number as a person writes it, in decimal (an exponent is allowed: the page writes
// 1e-7 itself); Number() alone would also take 0x1, 0b1, 0o7 and padding spaces.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const decimal = (raw) => (DECIMAL.test(String(raw)) ? Number(raw) : NaN);

function number(lo, hi) {
  return (raw) => {
    const v = decimal(raw);
    if (raw === "" || !Number.isFinite(v)) return [null, `expected a number, got "${show(raw)}"`];
    if (v < lo || v > hi) return [null, `expected a number from ${lo} to ${hi}, got ${show(raw)}`];
    return [v, null];
  };
}
function integer(lo, hi) {
  return (raw) => {
    const v = decimal(raw);
    if (raw === "" || !Number.isInteger(v)) return [null, `expected a whole number, got "${show(raw)}"`];
    if (v < lo || v > hi) return [null, `expected a whole number from ${lo} to ${hi}, got ${show(raw)}`];
    return [v, null];
  };
}
function choice(options) {
  return (raw) => options.includes(raw) ? [raw, null]
    : [null, `expected one of ${options.join(", ")}, got "${show(raw)}"`];
}
function boolean(raw) {
  return raw === "true" ? [true, null] : raw === "false" ? [false, null]
    : [null, `expected true or false, got "${show(raw)}"`];
}
// One name for every hidden layer, or "relu,tanh": one per hidden layer (pynet checks the count).
function names(options) {
  return (raw) => {
    const parts = String(raw).split(",");
    if (parts.length > limits.hidden_layers[1]) return [null, `expected at most ${limits.hidden_layers[1]} names, got ${parts.length}`];
    for (const p of parts) if (!options.includes(p)) return [null, `expected one of ${options.join(", ")} (or a list, one per hidden layer), got "${show(p)}"`];
    return [parts.length === 1 ? parts[0] : parts, null];
  };
}
function layers(raw) {
  const parts = raw === "" ? [] : String(raw).split(",");
  const [, maxLayers] = limits.hidden_layers;
  if (parts.length > maxLayers) return [null, `expected at most ${maxLayers} hidden layers, got ${parts.length}`];
  const out = [];
  for (const p of parts) {
    // The widest limit here (iris, digits, own data); pynet applies the one for the data set.
    const [lo, hi] = limits.hidden_nodes_wide || limits.hidden_nodes;
    const [v, err] = integer(lo, hi)(p.trim());
    if (err) return [null, `each layer needs ${lo} to ${hi} nodes: ${err}`];
    out.push(v);
  }
  return [out, null];
}

// The URL hash's and the controls' parsers, one per setting, built from Python's table
// of settings (pynet/page/settings.py SETTINGS: kind, limits, hash key) in build-info.js.
const KINDS = {
  choice: (key) => choice(limits[key]),
  number: (key) => number(...limits[key]),
  integer: (key) => integer(...limits[key]),
  boolean: () => boolean,
  layers: () => layers,
  names: (key) => names(limits[key]),
};
const TABLE = buildInfo.settings.table;
/** URL-hash key -> the setting's name (the same for every setting today). */
const NAME_OF = Object.fromEntries(TABLE.map((s) => [s.hash, s.name]));
const PARSERS = Object.fromEntries(TABLE.map((s) => [s.hash, KINDS[s.kind](s.limits)]));

// Page-only settings: how the page animates and what it shows. They live in the
// URL hash beside Python's settings but never reach Python.
export const PAGE_DEFAULTS = Object.freeze({
  shares: "proportional", speed: 1, granularity: "sample", preset: "",
  logscale: false, embed: "", intro: true, // the loss chart's scale, embed mode, the first-visit panel
  discretize: false, features: "0,1", // the data plot (views/data-plot.js)
});
const PAGE_PARSERS = {
  shares: choice(["proportional", "transposed", "gradient"]),
  speed: number(0.25, 8),
  granularity: choice(["sample", "batch", "epoch"]),
  preset: choice(["", "chapter", "wide"]),
  logscale: boolean, embed: (raw) => viewList(raw), intro: boolean,
  discretize: boolean,
  features: featurePair,
};

/** Check partial page-only settings; returns {page, errors} with bad values left out. */
export function checkPage(partial) {
  const page = {};
  const errors = [];
  for (const [key, value] of Object.entries(partial || {})) {
    if (!Object.hasOwn(PAGE_PARSERS, key)) { errors.push(`unknown page setting "${show(key)}"`); continue; }
    const [v, err] = PAGE_PARSERS[key](String(value));
    if (err) errors.push(`${key}: ${err}`); else page[key] = v;
  }
  return { page, errors };
}

/** Check a partial settings object; returns {settings, errors} with bad values left out. */
export function checkSettings(partial) {
  const settings = {};
  const errors = [];
  for (const [key, value] of Object.entries(partial || {})) {
    if (!Object.hasOwn(PARSERS, key)) { errors.push(`unknown setting "${show(key)}"`); continue; }
    const raw = Array.isArray(value) ? value.join(",") : String(value);
    const [v, err] = PARSERS[key](raw);
    if (err) errors.push(`${key}: ${err}`); else settings[NAME_OF[key]] = v;
  }
  return { settings, errors };
}

/** Parse "#dataset=xor&hidden=4,2&shares=gradient" into {settings (complete),
 * page (complete page-only settings), errors}. */
export function parseHash(hash) {
  const text = (hash || "").replace(/^#/, "");
  // no prototype: "__proto__", "constructor" from a URL are keys like any other (and unknown)
  const partial = Object.create(null);
  const pagePartial = Object.create(null);
  for (const [k, v] of new URLSearchParams(text)) (Object.hasOwn(PAGE_PARSERS, k) ? pagePartial : partial)[k] = v;
  const { settings, errors } = checkSettings(partial);
  const { page, errors: pageErrors } = checkPage(pagePartial);
  // given: the Python settings the hash names (and that parsed), so a hash change can
  // apply just those over the current settings
  return { settings: { ...DEFAULTS, ...settings }, page: { ...PAGE_DEFAULTS, ...page },
           errors: [...errors, ...pageErrors], given: Object.keys(settings) };
}

/** The hash for a settings object (every setting, in a stable order), then the
 * page-only settings that differ from their defaults. */
export function toHash(settings, page = {}) {
  const params = new URLSearchParams();
  for (const { name, hash } of TABLE) {
    const v = settings[name];
    params.set(hash, Array.isArray(v) ? v.join(",") : String(v));
  }
  for (const key of Object.keys(PAGE_DEFAULTS)) {
    if (key in page && page[key] !== PAGE_DEFAULTS[key]) params.set(key, String(page[key]));
  }
  return "#" + params.toString().replaceAll("%2C", ",");
}

/** A data set's shape from Python ({inputs, outputs per output_activation,
 * hidden_nodes}): the named sets' from pynet.page.spec.shapes (build-info.js),
 * own data's the one kept with it (`own`, export_data's shape), else null. */
export function shapeOf(dataset, own = null) {
  return dataset === "custom" ? own : (buildInfo.settings.shapes || {})[dataset] || null;
}

/** Layer sizes (inputs, hidden…, output) for drawing before Python is ready, or
 * null when the data's shape is not known yet (own data kept without it). */
export function layerSizes(settings, own = null) {
  const shape = shapeOf(settings.dataset, own);
  if (!shape) return null;
  const outputs = shape.outputs[settings.output_activation] ?? shape.outputs.auto;
  return [shape.inputs, ...settings.hidden, outputs];
}

/** The hidden sizes clamped to a data set's node limit (Python's, per shapeOf), and
 * a short note saying what changed (null: nothing to change, or the limit unknown). */
export function fitHidden(hidden, dataset, own = null) {
  const shape = shapeOf(dataset, own);
  if (!shape || !shape.hidden_nodes) return { hidden, note: null };
  const [lo, hi] = shape.hidden_nodes;
  const fitted = hidden.map((n) => Math.max(lo, Math.min(hi, n)));
  const changed = hidden.map((n, i) => [n, fitted[i]]).filter(([a, b]) => a !== b);
  if (!changed.length) return { hidden, note: null };
  return { hidden: fitted, note: `Hidden layers resized for ${dataset}, which allows ${lo}–${hi} nodes per layer: ${
    changed.map(([a, b]) => `${a} → ${b}`).join(", ")}.` };
}

// The two features the data plot shows ("2,3": petal length and width of iris).
function featurePair(raw) {
  const m = /^(\d{1,2}),(\d{1,2})$/.exec(String(raw));
  const most = limits.csv_features ?? 64;
  if (!m) return [null, `expected two feature numbers "i,j" (from 0), got "${raw}"`];
  const [i, j] = [Number(m[1]), Number(m[2])];
  if (i === j) return [null, `expected two different features, got "${raw}"`];
  if (i >= most || j >= most) return [null, `expected feature numbers below ${most}, got "${raw}"`];
  return [`${i},${j}`, null];
}

// ---- page-only settings of the model controls, outputs and embed mode (issue 8)
/** The views embed mode can show (`#embed=network,heatmap`): name -> the section's id. */
export const EMBED_VIEWS = Object.freeze({
  network: "network-view", heatmap: "data-view", loss: "loss-panel", confusion: "confusion-panel",
  explain: "explain", controls: "controls", model: "model",
});
function viewList(raw) {
  if (raw === "") return ["", null];
  const parts = String(raw).split(",").map((p) => p.trim());
  for (const p of parts) {
    // own keys only: "constructor" or "__proto__" is in every object
    if (!Object.hasOwn(EMBED_VIEWS, p)) return [null, `expected a comma list of ${Object.keys(EMBED_VIEWS).join(", ")}, got "${show(p)}"`];
  }
  return [[...new Set(parts)].join(","), null];
}
/** The settings pynet changes without rebuilding the network (pynet.page.settings.LIVE). */
export const LIVE = Object.freeze(buildInfo.settings.live || []);
/** The data's hidden-node limit, as Python says: state()'s hidden_nodes, else (before
 * Python answers) the data set's shape from build-info.js, else the 2-D limit. */
export function nodeLimits(snapshot, dataset = null) {
  const shape = shapeOf(dataset);
  return (snapshot && snapshot.hidden_nodes) || (shape && shape.hidden_nodes) || limits.hidden_nodes;
}
export { limits as LIMITS };
