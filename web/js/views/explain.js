// The explain panel: the chapter's formulas for the selected weight or node,
// typeset as MathML, with this network's numbers from the step's trace (pynet
// computed every one), and notes where the chapter is wrong. Also the
// edit-a-weight form. Rendered on selection/step/kind change, not per frame.
import { nodeName as fullName } from "../names.js";
import { el as mel, mi, mn, mo, row, sub, frac, val, math, num, BR } from "../math.js";

const KIND_TEXT = {
  proportional: "Proportional (the chapter's idea): output error e_k is split over the weights into node k in proportion to their size, e_k·w_kj/Σᵢw_ki, so the shares of e_k add up to e_k. It is an intuition, not a derivative: it ignores the activation's slope and misbehaves when Σᵢw_ki is near zero (then pynet divides by Σᵢ|w_ki| and marks the node †).",
  transposed: "Transposed (the course's code): the denominators are dropped and node j collects (whoᵀe)_j = Σ_k w_kj·e_k. It is what the chapter's train() sends back to the hidden layer; it has the right direction for one layer but not the gradient's size.",
  gradient: "Gradient (exact backprop): along w_kj travels w_kj·δ_k, where δ_k = ∂E/∂z_k, and node j collects ∂E/∂a_j = Σ_k w_kj·δ_k. This is what gradient descent needs; it matches finite differences.",
};

const NOTES = {
  share: "The chapter prints 0.0343 for 0.08·0.6/(0.6+0.1+0.15+0.25); it is 12/275 ≈ 0.0436. It also says “the denominator is always the same”: that holds only within one output node, since each node k has its own Σᵢw_ki.",
  sign: "Sign: ∂E/∂w_kj = −(t_k − o_k)·f′(z_k)·h_j for squared error. The chapter's expression drops the minus sign; it is the descent direction, which is why its code adds η(t−o)o(1−o)h.",
  hidden: "The chapter's hidden-layer update sends back the raw error whoᵀ(t − o) instead of whoᵀδ: it is not the exact gradient of E (pynet's course mode does that; the gradient kind shows what exact backprop sends).",
};

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, v);
  for (const c of children.flat()) if (c != null) e.append(c);
  return e;
}
const note = (text) => h("p", { class: "note" }, h("strong", {}, "Chapter note: "), text);
let inputName = "x"; // "h" for the chapter's network, whose inputs are its hidden outputs
const nodeName = (l, L, j) => fullName(l, L, j, inputName);

/**
 * state: {selection, step ({trace, before, sample} | null), kind, weights (flat, now),
 * layout, preview (bool)}; actions: {onEdit(l, k, j, text) -> Promise<string|null>}.
 */
export function renderExplain(container, state, actions) {
  container.replaceChildren();
  const { selection, step, kind, layout } = state;
  inputName = state.inputName || "x";
  if (!selection || !layout) {
    container.append(h("h2", {}, "Explain"),
      h("p", {}, "Click a weight (a line) or a node to see the chapter's formulas with this network's numbers."));
    return;
  }
  const tr = step ? step.trace : null;
  const L = layout.layers.length - 1;
  if (selection.type === "edge") renderEdge(container, state, tr, L, actions);
  else renderNode(container, state, tr, L, actions);
  const kinds = h("ul", { class: "kinds" });
  for (const [k, text] of Object.entries(KIND_TEXT)) kinds.append(h("li", { class: k === kind ? "current" : null }, text));
  container.append(h("h3", {}, "Three meanings of an error share"), kinds);
}

function renderEdge(container, state, tr, L, actions) {
  const { l, k, j } = state.selection;
  const { layout, kind, step } = state;
  const i = layout.edges.offset[l] + k * layout.layers[l] + j;
  const wNow = state.weights ? state.weights[i] : null;
  const wStep = step ? step.before[i] : wNow; // the weight the trace was computed with
  const K = String(k + 1), J = String(j + 1);
  const w = () => sub(mi("w"), mn(`${K}${J}`)); // a fresh node per use (a DOM node has one parent)
  container.append(h("h2", {}, `Weight w${K}${J}: ${nodeName(l, L, j)} → ${nodeName(l + 1, L, k)}`,
    h("small", {}, ` (weight layer ${l}: node layer ${l} → ${l + 1})`)));
  container.append(h("p", { class: "value" }, `Value now: `, h("output", { id: "explain-weight" }, num(wNow)),
    tr ? ` · numbers below: ${state.preview ? "the next sample, not yet trained" : "the last step"}${tr.samples > 1 ? ` (mean of ${tr.samples} samples)` : ""}` : ""));
  if (tr) {
    const list = h("div", { class: "formulas" });
    const out = l + 1 === L;
    const e = out ? tr.errors[k] : (tr.node_errors[kind] ? tr.node_errors[kind][l + 1][k] : null);
    if (out) {
      list.append(h("h3", {}, "Output error"), math("e equals t minus o",
        sub("e", K), mo("="), sub("t", K), mo("−"), sub("o", K), mo("="), val(tr.targets[k]), mo("−"), val(tr.activations[l + 1][k]), mo("="), mn(e)));
    } else {
      list.append(h("h3", {}, "Hidden error (what node k collected)"), math("hidden error",
        sub("e", K), mo("="), mo("∑"), mel("mtext", "shares arriving"), mo("="), mn(e)), note(NOTES.hidden));
    }
    const den = tr.denominators ? tr.denominators[l][k] : null;
    const share = tr.shares[kind] ? tr.shares[kind][l][k][j] : null;
    list.append(h("h3", {}, `Share sent back along w${K}${J} (${kind})`));
    if (kind === "proportional") {
      const sum = row(mo("∑"), sub("w", `${K}i`));
      list.append(math("share equals e times w over the sum of weights into node k",
        mi("share"), mo("="), frac(row(sub("e", K), mo("·"), w()), sum), BR, mo("="),
        frac(row(val(e), mo("·"), val(wStep)), val(den)), mo("="), el_id(mn(share), "explain-share")));
      const rule = tr.share_rules[l][k];
      if (rule !== "sum") list.append(h("p", { class: "note" }, `† Here |Σᵢw_ki| is tiny, so pynet uses the “${rule}” rule: ${rule === "abs_sum" ? "it divides by Σᵢ|w_ki|" : "all weights are 0, each input gets e_k/n"}.`));
      list.append(note(NOTES.share));
    } else if (kind === "transposed") {
      list.append(math("share equals w times e", mi("share"), mo("="), w(), mo("·"), sub("e", K), mo("="),
        val(wStep), mo("·"), val(e), mo("="), el_id(mn(share), "explain-share")));
    } else {
      list.append(math("share equals w times delta", mi("share"), mo("="), w(), mo("·"), sub(mi("δ"), mn(K)), mo("="),
        val(wStep), mo("·"), val(tr.deltas[l][k]), mo("="), el_id(mn(share), "explain-share")));
    }
    const d = tr.deltas[l][k], a = tr.activations[l][j], g = tr.grad_weights[l][k][j], u = tr.updates[l][k][j];
    list.append(h("h3", {}, "Gradient and update"),
      math("delta equals dE over dz", sub(mi("δ"), mn(K)), mo("="), frac(row(mi("∂"), mi("E")), row(mi("∂"), sub("z", K))), mo("="), mn(d)),
      math("dE over dw equals delta times h", frac(row(mi("∂"), mi("E")), row(mi("∂"), w())), mo("="), sub(mi("δ"), mn(K)), mo("·"),
        sub(l === 0 ? inputName : "h", J), BR, mo("="), val(d), mo("·"), val(a), mo("="), el_id(mn(g), "explain-grad")),
      note(NOTES.sign),
      updateFormula(tr, w, g, u, wStep));
    if (tr.rule === "course") list.append(h("p", { class: "note", id: "explain-rule" },
      "This network trains with update = course (the course's rule), and this step added the Δw shown: pynet " +
      "stepped it as the course's code does, layer by layer from the output, sending the raw error back through " +
      "the weights just updated instead of δ. The formulas above are exact backprop's, so Δw differs from −η·∂E/∂w " +
      "in the hidden layers (and the output layer's Δw matches it)."));
    container.append(list);
  } else {
    container.append(h("p", {}, state.playing ? "Training is playing: pause, then step, to see this weight's share, gradient and update."
      : "Step once to see this weight's share, gradient and update."));
  }
  // edit the weight
  const input = h("input", { id: "weight-input", type: "text", inputmode: "decimal", autocomplete: "off",
                              value: wNow == null ? "" : String(wNow) });
  const msg = h("p", { id: "weight-message", role: "status" });
  const form = h("form", { class: "edit", "aria-label": `Edit weight w${K}${J}` },
    h("label", { for: "weight-input" }, `New value for w${K}${J}`), input,
    h("button", { type: "submit", id: "weight-apply" }, "Set weight"), msg);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const problem = await actions.onEdit(l, k, j, input.value);
    msg.textContent = problem || "";
    msg.className = problem ? "bad" : "";
  });
  container.append(form);
}

function el_id(node, id) { node.setAttribute("id", id); return node; }

// Δw as the step really applied it (Python's trace.updates; its `rule`, `l1`, `l2`
// say which formula made it): −η·∂E/∂w, plus the penalties' terms when l1/l2 are on.
function updateFormula(tr, w, g, u, wStep) {
  const dEdw = () => frac(row(mi("∂"), mi("E")), row(mi("∂"), w()));
  const lhs = tr.rule === "course" ? [row(mo("Δ"), w()), mo("="), mtext("(course rule)")] : [row(mo("Δ"), w())];
  if (tr.rule !== "course" && (tr.l1 || tr.l2)) {
    return math("delta w with the l1 and l2 penalties", ...lhs, mo("="), mo("−"), mi("η"), mo("·"), mo("("), dEdw(),
      mo("+"), sub("λ", "1"), mo("·"), mi("sign"), mo("("), w(), mo(")"), mo("+"), sub("λ", "2"), mo("·"), w(), mo(")"), BR,
      mo("="), mo("−"), mn(tr.learning_rate), mo("·"), mo("("), val(g), mo("+"), val(tr.l1), mo("·"), mi("sign"), mo("("),
      val(wStep), mo(")"), mo("+"), val(tr.l2), mo("·"), val(wStep), mo(")"), mo("="), el_id(mn(u), "explain-update"));
  }
  if (tr.rule === "course") return math("delta w by the course rule", ...lhs, mo("="), el_id(mn(u), "explain-update"));
  return math("delta w equals minus eta times dE over dw", ...lhs, mo("="), mo("−"), mi("η"), mo("·"),
    dEdw(), BR, mo("="), mo("−"), mn(tr.learning_rate), mo("·"), val(g), mo("="), el_id(mn(u), "explain-update"));
}
const mtext = (text) => mel("mtext", text);

function renderNode(container, state, tr, L, actions) {
  const { l, j } = state.selection;
  const { kind, layout } = state;
  const J = String(j + 1);
  const name = nodeName(l, L, j);
  container.append(h("h2", {}, `Node ${name} (layer ${l})`));
  // the weights into and out of this node, as buttons: the keyboard's way to a weight
  const links = h("p", { class: "weights" });
  if (l > 0 && layout.layers[l - 1] <= 16) {
    links.append("Weights in: ");
    for (let i = 0; i < layout.layers[l - 1]; i++) {
      const b = h("button", { type: "button", "aria-label": `explain weight w${J}${i + 1} from ${nodeName(l - 1, L, i)}` }, `w${J}${i + 1}`);
      b.addEventListener("click", () => actions.onSelect({ type: "edge", l: l - 1, k: j, j: i }));
      links.append(b, " ");
    }
  }
  if (l < L && layout.layers[l + 1] <= 16) {
    links.append(l > 0 ? " · out: " : "Weights out: ");
    for (let k = 0; k < layout.layers[l + 1]; k++) {
      const b = h("button", { type: "button", "aria-label": `explain weight w${k + 1}${J} to ${nodeName(l + 1, L, k)}` }, `w${k + 1}${J}`);
      b.addEventListener("click", () => actions.onSelect({ type: "edge", l, k, j }));
      links.append(b, " ");
    }
  }
  if (links.childNodes.length) container.append(links);
  if (!tr) { container.append(h("p", {}, "Step once to see this node's activation and error.")); return; }
  const list = h("div", { class: "formulas" });
  const a = tr.activations[l][j];
  if (l === 0) list.append(math("input", sub(inputName, J), mo("="), mn(a)));
  else {
    const f = tr.layer_activations[l - 1];
    list.append(math("activation", sub(l === L ? "o" : "h", J), mo("="), mi(f), row(mo("("), sub("z", J), mo(")")), mo("="),
      mi(f), row(mo("("), mn(tr.net_inputs[l][j]), mo(")")), mo("="), mn(a)));
  }
  if (l === L) {
    list.append(math("error", sub("e", J), mo("="), sub("t", J), mo("−"), sub("o", J), mo("="),
      val(tr.targets[j]), mo("−"), val(a), mo("="), mn(tr.errors[j])));
  }
  const e = tr.node_errors[kind] ? tr.node_errors[kind][l][j] : null;
  list.append(h("p", {}, `Error this node ${l === L ? "sends back" : "collects"} (${kind}): `, h("output", { id: "explain-node-error" }, num(e))));
  if (l > 0) list.append(math("delta", sub(mi("δ"), mn(J)), mo("="), frac(row(mi("∂"), mi("E")), row(mi("∂"), sub("z", J))), mo("="), mn(tr.deltas[l - 1][j])));
  container.append(list);
}
