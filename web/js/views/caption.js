// One sentence saying what the network view shows right now: the animation's
// text alternative (aria-live). Rendered when the phase or step changes.
import { num } from "../math.js";

const vec = (v) => `(${v.map((x) => num(x)).join(", ")})`;
/** Layer l of a network with layers 0…L, as a learner reads it. */
const layerName = (l, L) => (l === 0 ? "the inputs" : l === L ? "the output layer" : `hidden layer ${l}`);

/** state: {clock, step, kind, playing, snapshot, preview}. Returns the text it set. */
export function renderCaption(el, { clock, step, kind, playing, snapshot, preview }) {
  let text;
  const tr = step ? step.trace : null;
  const what = !step ? "" : step.granularity === "batch" ? `Batch of ${tr.samples} samples (the phases show the batch mean). `
    : step.granularity === "epoch" ? `Epoch done; shown: its last batch of ${tr.samples} (batch mean). `
      : step.sample ? `Sample #${step.sample.index}: x = ${vec(step.sample.x)}, t = ${vec(step.sample.t)}. ` : "";
  const phase = clock ? clock.phase : "idle";
  const L = step && step.layers ? step.layers.length - 1 : null;
  const between = (l) => (L === null ? `layer ${l} and layer ${l + 1}` : `${layerName(l, L)} and ${layerName(l + 1, L)}`);
  if (playing) {
    text = `Training continuously. Edges glow with the latest step's batch-mean |share| (${kind}); the weights are the latest snapshot.`;
  } else if (!step) {
    text = "Press Step (→) to watch one sample go forward, its error flow back along every weight, and the weights change. Play (Space) trains on.";
  } else if (phase === "forward") {
    text = `${what}Forward: activations travel ${clock.layer < 0 ? "through the network" : `from layer ${clock.layer} to layer ${clock.layer + 1}${L === null ? "" : ` (${layerName(clock.layer, L)} → ${layerName(clock.layer + 1, L)})`}`}; each node fills with its activation.`;
  } else if (phase === "error") {
    text = `${what}Error at the outputs: t − o = ${vec(tr.errors)}; loss E = ${num(tr.loss)}.`;
  } else if (phase === "backward") {
    text = `${what}Backward (${kind} shares): the error travels back along every weight${clock.layer < 0 ? "" : ` of layer ${clock.layer} (between ${between(clock.layer)})`}; width = size of the share, colour = sign; each node collects its error.`;
  } else if (phase === "update") {
    text = `${what}Update: each weight changes by Δw = −η·∂E/∂w (η = ${tr.learning_rate}); the flash shows |Δw|. Loss ${num(tr.loss)} → ${num(tr.loss_after)}.`;
  } else if (preview) {
    text = `${what}Next step's numbers (not trained yet), with the current weights.`;
  } else {
    text = `${what}Done: loss on ${tr.samples > 1 ? "these samples" : "this sample"} ${num(tr.loss)} → ${num(tr.loss_after)}.`;
  }
  if (snapshot && snapshot.epoch_size) text += ` Epoch ${snapshot.epoch}, ${snapshot.cursor} of ${snapshot.epoch_size} samples done.`;
  if (el.textContent !== text) el.textContent = text;
  return text;
}
