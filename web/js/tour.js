// The guided tour of the chapter's worked example (#preset=chapter): a few
// numbered steps, each setting the view (phase, share kind, selection) and
// saying in a paragraph what the reader sees. Content the page owns; the
// chapter is quoted only briefly and named as the source.

import { num } from "./math.js";

export const TOUR = [
  { phase: "forward", kind: "proportional", select: { type: "edge", l: 0, k: 0, j: 0 },
    text: "The chapter's example: four hidden outputs h₁…h₄ feed two linear output nodes. With w₁₁…w₁₄ = 0.6, 0.1, 0.15, 0.25 the first output is o₁ = 0.92 (and o₂ = 0.18); the forward pass fills each node with its value." },
  { phase: "error", kind: "proportional", select: { type: "node", l: 1, j: 0 },
    text: "Error at the outputs: e₁ = t₁ − o₁ = 1 − 0.92 = 0.08 and e₂ = 1 − 0.18 = 0.82. The chapter calls both this difference and ½(t − o)² “the error”; pynet's loss is the latter." },
  { phase: "backward", kind: "proportional", select: { type: "edge", l: 0, k: 0, j: 0 },
    text: "The chapter's idea: split e₁ over the weights into o₁ in proportion to their size. w₁₁ gets 0.08 · 0.6 / (0.6 + 0.1 + 0.15 + 0.25) = 12/275 ≈ 0.0436 — the chapter prints 0.0343, an arithmetic slip." },
  { phase: "backward", kind: "proportional", select: { type: "edge", l: 0, k: 0, j: 3 },
    text: "The four shares 0.0436, 0.0073, 0.0109 and 0.0182 add up to e₁ = 0.08: that is what the denominator is for. Each output node has its own denominator Σᵢw_ki, so it is not “always the same” as the chapter says." },
  { phase: "backward", kind: "transposed", select: { type: "edge", l: 0, k: 0, j: 0 },
    text: "Dropping the denominators gives the course's e_hidden = whoᵀ·e: w₁₁ now carries 0.6 · 0.08 = 0.048, and the four shares of e₁ sum to 0.088, not 0.08. This is what the course's code sends back." },
  { phase: "backward", kind: "gradient", select: { type: "edge", l: 0, k: 0, j: 0 },
    text: "Exact backprop sends w_kj·δ_k, with δ_k = ∂E/∂z_k. For this linear output δ₁ = o₁ − t₁ = −0.08; with a sigmoid output (the chapter's next section) it would be (o − t)·o(1 − o), so ∂E/∂w_kj = −(t_k − o_k)·o_k(1 − o_k)·h_j — the chapter drops that minus sign." },
  { phase: "backward", kind: "gradient", select: { type: "node", l: 1, j: 0 },
    // numbers from Python (the chapter preset's sigmoid_case); the page only formats them
    text: (sc) => sc ? `The chapter then reads the same outputs as sigmoid outputs, o = σ(z), with squared error. Then δ₁ = ∂E/∂z₁ = (o₁ − t₁)·o₁(1 − o₁) = ${num(sc.delta[0])} and δ₂ = ${num(sc.delta[1])}: the chapter's (t − o)·o(1 − o) has the same size without the minus sign. So ∂E/∂w₁₁ = δ₁·h₁ = ${num(sc.grad_weights[0][0])}, and with η = ${sc.learning_rate} the step Δw₁₁ = −η·∂E/∂w₁₁ = ${num(sc.updates[0][0])} is positive: o₁ is below its target, so w₁₁ grows. The sigmoid's slope o(1 − o) scales every δ; the proportional idea ignores it.`
      : "The chapter then reads the same outputs as sigmoid outputs (Python's numbers for this step are not loaded yet)." },
  { phase: "update", kind: "gradient", select: { type: "edge", l: 0, k: 0, j: 0 },
    text: "Update: every weight moves by Δw = −η·∂E/∂w; the flash shows |Δw|. For the output layer the chapter's rule and the gradient agree; for a hidden layer its whoᵀ(t − o) is not the exact gradient (pynet's course mode trains that way)." },
];

/** Bind Back/Next; apply(step) sets the view; context() gives what a step's text
 * function needs (the chapter preset's sigmoid_case from Python). Returns {show(i), index}. */
export function bindTour(doc, apply, context = () => null) {
  const $ = (id) => doc.getElementById(id);
  let i = 0;
  function show(n) {
    i = Math.max(0, Math.min(TOUR.length - 1, n));
    $("tour").hidden = false;
    $("tour-count").textContent = `${i + 1} of ${TOUR.length}`;
    const text = TOUR[i].text;
    $("tour-text").textContent = typeof text === "function" ? text(context()) : text;
    $("tour-back").disabled = i === 0;
    $("tour-next").disabled = i === TOUR.length - 1;
    apply(TOUR[i]);
  }
  $("tour-back").addEventListener("click", () => show(i - 1));
  $("tour-next").addEventListener("click", () => show(i + 1));
  return { show, get index() { return i; }, hide() { $("tour").hidden = true; } };
}
