// The model controls' DOM (issue 8): built once from pynet's limits
// (build-info.js), then rendered from the store's settings and snapshot.
// Knows nothing of setState: model-controls.js wires the events.
import { LIMITS, nodeLimits } from "../settings.js";

const L = LIMITS;
const num = (range, step) => ({ kind: "number", min: range[0], max: range[1], step });
/** Every scalar control: the settings key, its label and its input. Groups are fieldsets.
 * @type {{group: string, key: string, label: string, kind: string, options?: string[],
 *         names?: Record<string, string>, min?: number, max?: number, step?: number | string}[]} */
export const FIELDS = [
  { group: "Network", key: "activation", label: "Activation (all hidden layers)", kind: "select", options: L.activations },
  { group: "Network", key: "output_activation", label: "Output activation", kind: "select", options: L.output_activations },
  { group: "Network", key: "loss", label: "Loss", kind: "select", options: L.losses },
  { group: "Network", key: "bias", label: "Bias", kind: "checkbox" },
  { group: "Network", key: "init", label: "Initial weights", kind: "select", options: L.inits },
  { group: "Training", key: "learning_rate", label: "Learning rate", ...num(L.learning_rate, "any") },
  { group: "Training", key: "batch_size", label: "Batch size", ...num(L.batch_size, 1) },
  { group: "Training", key: "l1", label: "L1", ...num(L.l1, "any") },
  { group: "Training", key: "l2", label: "L2", ...num(L.l2, "any") },
  { group: "Training", key: "update", label: "Update rule", kind: "select", options: L.updates,
    names: { exact: "exact (backprop)", course: "course (the chapter's rule)" } },
  { group: "Stop", key: "target_loss", label: "Stop at training loss (0 = off)", ...num(L.target_loss, "any") },
  { group: "Stop", key: "max_epoch", label: "Stop at epoch (0 = off)", ...num(L.max_epoch, 1) },
  { group: "Data", key: "noise", label: "Noise", ...num(L.noise, 0.05) },
  { group: "Data", key: "train_ratio", label: "Training share", ...num(L.train_ratio, 0.05) },
  { group: "Data", key: "samples", label: "Samples", ...num(L.samples, 10) },
  { group: "Data", key: "seed", label: "Seed", ...num(L.seed, 1) },
];
const GROUPS = ["Network", "Training", "Stop", "Data"];

function el(doc, tag, props = {}, children = []) {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k in e && k !== "list") e[k] = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** The settings tried most often: in the workbench's compact bar beside the diagram;
 * the other fields go to the "All model settings" panel (#model-more) when the page has one. */
export const COMPACT = ["activation", "learning_rate"];

function fieldInput(doc, f) {
  if (f.kind === "select") {
    return el(doc, "select", { id: `m-${f.key}`, name: f.key },
      f.options.map((o) => el(doc, "option", { value: o, textContent: (f.names && f.names[o]) || o })));
  }
  if (f.kind === "checkbox") return el(doc, "input", { type: "checkbox", id: `m-${f.key}`, name: f.key });
  return el(doc, "input", { type: "number", id: `m-${f.key}`, name: f.key, inputMode: "decimal",
                            min: f.min, max: f.max, step: f.step });
}
const fieldLabel = (doc, f, text = f.label) => el(doc, "label", { className: `field-${f.kind}` }, [text, " ", fieldInput(doc, f)]);
const SHORT = { activation: "Activation", learning_rate: "Learning rate" };

/** Build the panel's controls inside `root` (once). Ids: m-<key>, plus the layer editor. */
export function buildModelPanel(root) {
  const doc = root.ownerDocument;
  const more = doc.getElementById("model-more");
  root.replaceChildren();
  root.append(el(doc, "h2", { id: "model-title", textContent: "Model" }));
  const layers = el(doc, "fieldset", { id: "model-layers" }, [el(doc, "legend", { textContent: "Hidden layers" })]);
  const bar = el(doc, "div", { className: "layer-bar" }, [
    el(doc, "button", { type: "button", id: "m-add-layer", textContent: "+ layer", ariaLabel: "Add a hidden layer" }),
    el(doc, "button", { type: "button", id: "m-remove-layer", textContent: "− layer", ariaLabel: "Remove the last hidden layer" }),
    el(doc, "output", { id: "m-layer-count" }),
    el(doc, "label", {}, [el(doc, "input", { type: "checkbox", id: "m-per-layer" }), " one activation per layer"]),
  ]);
  layers.append(bar, el(doc, "ol", { id: "m-layer-list" }));
  root.append(layers);
  const compact = more ? FIELDS.filter((f) => COMPACT.includes(f.key)) : [];
  if (compact.length) {
    root.append(el(doc, "fieldset", { className: "model-group group-compact" },
      [el(doc, "legend", { textContent: "Training" }), ...compact.map((f) => fieldLabel(doc, f, SHORT[f.key]))]));
    more.replaceChildren(el(doc, "h2", { textContent: "All model settings" }));
  }
  for (const g of GROUPS) {
    const set = el(doc, "fieldset", { className: `model-group group-${g.toLowerCase()}` }, [el(doc, "legend", { textContent: g })]);
    for (const f of FIELDS.filter((x) => x.group === g && !compact.includes(x))) set.append(fieldLabel(doc, f));
    if (g === "Data") {
      set.append(el(doc, "button", { type: "button", id: "m-regenerate", textContent: "Regenerate",
                                     ariaLabel: "Regenerate: a new seed for data and initial weights" }));
    }
    (more || root).append(set);
  }
  root.append(el(doc, "p", { id: "model-message", role: "alert", hidden: true }));
}

/** Show `settings` in the controls (skipping the one the user is typing in) and
 * the layer editor for `layers` (the snapshot's sizes, inputs first). */
export function renderModelPanel(root, { settings, snapshot, phase, focused }) {
  const doc = root.ownerDocument;
  const $ = (id) => doc.getElementById(id);
  if (!$("m-layer-list")) return;
  const ready = phase === "ready";
  for (const f of FIELDS) {
    const input = $(`m-${f.key}`);
    if (!input) continue;
    input.disabled = !ready;
    if (input === focused && f.kind === "number") continue;
    const v = settings[f.key];
    if (f.kind === "checkbox") input.checked = Boolean(v);
    else if (f.key === "activation") input.value = Array.isArray(v) ? v[0] : v;
    else input.value = String(v);
  }
  // regression data has no classes: pynet refuses softmax and cross_entropy there
  const regression = snapshot && snapshot.kind === "regression";
  for (const o of $("m-output_activation").options) o.disabled = regression && o.value === "softmax";
  for (const o of $("m-loss").options) o.disabled = regression && o.value === "cross_entropy";
  const samplesApply = !["iris", "digits", "custom"].includes(settings.dataset);
  $("m-samples").disabled = !ready || !samplesApply;
  $("m-noise").disabled = !ready || !samplesApply;

  const hidden = settings.hidden;
  const perLayer = Array.isArray(settings.activation);
  const [lo, hi] = nodeLimits(snapshot, settings.dataset);
  const [, maxLayers] = LIMITS.hidden_layers;
  $("m-add-layer").disabled = !ready || hidden.length >= maxLayers;
  $("m-remove-layer").disabled = !ready || hidden.length === 0;
  $("m-layer-count").textContent = `${hidden.length} hidden layer${hidden.length === 1 ? "" : "s"} (nodes ${lo}–${hi} each)`;
  $("m-per-layer").checked = perLayer;
  // one layer: one activation (the hash's list of one is the name itself)
  $("m-per-layer").disabled = !ready || hidden.length < 2;
  $("m-activation").disabled = !ready || perLayer;
  const list = $("m-layer-list");
  const items = hidden.map((n, i) => {
    const act = perLayer ? settings.activation[i] : settings.activation;
    const li = el(doc, "li", { dataset: { layer: String(i) } }, [
      el(doc, "span", { className: "layer-name", textContent: `Layer ${i + 1}: ` }),
      el(doc, "button", { type: "button", className: "fewer", textContent: "−", disabled: !ready || n <= lo,
                          ariaLabel: `Fewer nodes in hidden layer ${i + 1}` }),
      el(doc, "output", { className: "nodes", textContent: `${n} node${n === 1 ? "" : "s"}` }),
      el(doc, "button", { type: "button", className: "more", textContent: "+", disabled: !ready || n >= hi,
                          ariaLabel: `More nodes in hidden layer ${i + 1}` }),
    ]);
    if (perLayer) {
      li.append(el(doc, "select", { className: "layer-activation", ariaLabel: `Activation of hidden layer ${i + 1}`,
                                    disabled: !ready },
        LIMITS.activations.map((o) => el(doc, "option", { value: o, textContent: o, selected: o === act }))));
    }
    return li;
  });
  // keep focus on a +/- button across the re-render (keyboard users press it again)
  const active = doc.activeElement && list.contains(doc.activeElement)
    ? [doc.activeElement.closest("li").dataset.layer, doc.activeElement.className] : null;
  list.replaceChildren(...items);
  if (active) {
    const again = list.querySelector(`li[data-layer="${active[0]}"] .${active[1].split(" ")[0]}`);
    if (again && !again.disabled) again.focus();
  }
}

/** Show (or clear, with null) the panel's message naming a refused setting. */
export function renderModelMessage(root, text) {
  const m = root.ownerDocument.getElementById("model-message");
  if (!m) return;
  m.hidden = !text;
  m.textContent = text || "";
}
