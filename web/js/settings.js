// Settings: defaults, limits and the URL hash that mirrors them.
// Must agree with pynet/facade.py (a browser test checks the defaults match).

export const DEFAULTS = Object.freeze({
  dataset: "circle",
  noise: 0,
  train_ratio: 0.5,
  hidden: [4, 2],
  activation: "tanh",
  learning_rate: 0.03,
  batch_size: 10,
  samples: 500,
  seed: 1,
});

const DATASETS = ["circle", "xor", "gauss", "spiral", "plane", "multigauss"];
const ACTIVATIONS = ["tanh", "sigmoid", "relu", "linear"];

function number(lo, hi) {
  return (raw) => {
    const v = Number(raw);
    if (raw === "" || !Number.isFinite(v)) return [null, `expected a number, got "${raw}"`];
    if (v < lo || v > hi) return [null, `expected a number from ${lo} to ${hi}, got ${raw}`];
    return [v, null];
  };
}
function integer(lo, hi) {
  return (raw) => {
    const v = Number(raw);
    if (raw === "" || !Number.isInteger(v)) return [null, `expected a whole number, got "${raw}"`];
    if (v < lo || v > hi) return [null, `expected a whole number from ${lo} to ${hi}, got ${raw}`];
    return [v, null];
  };
}
function choice(options) {
  return (raw) => options.includes(raw) ? [raw, null]
    : [null, `expected one of ${options.join(", ")}, got "${raw}"`];
}
function layers(raw) {
  const parts = raw === "" ? [] : String(raw).split(",");
  if (parts.length > 6) return [null, `expected at most 6 hidden layers, got ${parts.length}`];
  const out = [];
  for (const p of parts) {
    const [v, err] = integer(1, 8)(p.trim());
    if (err) return [null, `each layer needs 1 to 8 nodes: ${err}`];
    out.push(v);
  }
  return [out, null];
}

const PARSERS = {
  dataset: choice(DATASETS),
  noise: number(0, 0.5),
  train_ratio: number(0.1, 0.9),
  hidden: layers,
  activation: choice(ACTIVATIONS),
  learning_rate: number(1e-5, 10),
  batch_size: integer(1, 1000),
  samples: integer(10, 2000),
  seed: integer(0, 2 ** 31 - 1),
};

/** Check a partial settings object; returns {settings, errors} with bad values left out. */
export function checkSettings(partial) {
  const settings = {};
  const errors = [];
  for (const [key, value] of Object.entries(partial || {})) {
    if (!(key in PARSERS)) { errors.push(`unknown setting "${key}"`); continue; }
    const raw = Array.isArray(value) ? value.join(",") : String(value);
    const [v, err] = PARSERS[key](raw);
    if (err) errors.push(`${key}: ${err}`); else settings[key] = v;
  }
  return { settings, errors };
}

/** Parse "#dataset=xor&hidden=4,2" into {settings (complete), errors}. */
export function parseHash(hash) {
  const text = (hash || "").replace(/^#/, "");
  const partial = {};
  for (const [k, v] of new URLSearchParams(text)) partial[k] = v;
  const { settings, errors } = checkSettings(partial);
  return { settings: { ...DEFAULTS, ...settings }, errors };
}

/** The hash for a settings object (every setting, in a stable order). */
export function toHash(settings) {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS)) {
    const v = settings[key];
    params.set(key, Array.isArray(v) ? v.join(",") : String(v));
  }
  return "#" + params.toString().replaceAll("%2C", ",");
}

/** Layer sizes (inputs, hidden…, output) for drawing before Python is ready. */
export function layerSizes(settings) {
  return [2, ...settings.hidden, 1];
}
