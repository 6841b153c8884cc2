// Stepping with the four-phase animation, editing a weight, presets: the page's
// actions on top of the trainer (facade calls) and the animator (the clock).
// No network math here: traces and weights come from the facade.
import { flatten } from "./protocol.js";

const OPS = { sample: "step_sample", batch: "step_batch", epoch: "step_epoch" };
/** Networks with more edges than this get one share kind per trace (a smaller answer). */
const ALL_KINDS_UP_TO = 600;
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** @typedef {import("./types").Snapshot & {trace: import("./types").Trace,
 *   sample?: {index: number, x: number[], t: number[]}, batch?: unknown}} StepAnswer */

const LOSS_KEYS = ["train_loss", "test_loss", "train_accuracy", "test_accuracy"];
/** On big data Python skips measuring the losses after a single step (losses_measured
 * false, see pynet.stepping): keep the last measured ones, marked as such. */
function withLosses(r, prev) {
  if (r.losses_measured !== false) return r;
  const kept = Object.fromEntries(LOSS_KEYS.filter((k) => prev && k in prev).map((k) => [k, prev[k]]));
  return { ...r, ...kept, losses_stale: true };
}

export function createStepper({ store, trainer, animator }) {
  const edgesOf = (layers) => layers.reduce((n, v, i) => (i ? n + v * layers[i - 1] : 0), 0);
  const kinds = (layers) => (edgesOf(layers) <= ALL_KINDS_UP_TO ? ["proportional", "transposed", "gradient"]
    : [store.get().page.shares]);
  let preview = false;
  let lastStepMs = null; // the last step's round trip: worker time + transfer + parse // the animator holds a preview of the next sample, not a finished step

  /** Train one step of `granularity` and animate it; resolves to its trace when the animation ends. */
  async function step(granularity = store.get().page.granularity) {
    const s = store.get();
    if (s.phase !== "ready") throw new Error("step: pynet is not ready yet");
    if (s.playing) throw new Error("step: pause first (training is playing)");
    const op = OPS[granularity];
    if (!op) throw new Error(`step: granularity must be sample, batch or epoch, got "${granularity}"`);
    const before = flatten(s.snapshot.weights);
    const t0 = performance.now();
    const r = /** @type {StepAnswer} */ (await trainer.request({ op, kinds: kinds(s.snapshot.layers) }));
    lastStepMs = performance.now() - t0;
    store.set({ snapshot: withLosses(r, s.snapshot) });
    preview = false;
    const sample = r.sample ? { ...r.sample } : null;
    await animator.start({ trace: r.trace, before, after: flatten(r.weights), sample, layers: r.layers,
                           granularity, batch: r.batch || null });
    return r.trace;
  }

  /** Show the next sample's trace (not trained) so the view and explain panel use the current weights. */
  async function showPreview() {
    const s = store.get();
    const r = await trainer.request({ op: "trace", kinds: kinds(s.snapshot.layers) });
    const w = flatten(store.get().snapshot.weights);
    preview = true;
    animator.show({ trace: r.trace, before: w, after: w, sample: r.sample, layers: s.snapshot.layers,
                    granularity: "sample", batch: null });
    return r;
  }

  /** Set weight (l, k, j) from the text a user typed; resolves to an error message or null. */
  async function editWeight(l, k, j, text) {
    if (typeof text === "number") text = String(text);
    if (typeof text !== "string" || !NUMBER.test(text)) {
      return `Not a number: “${text}”. Nothing was changed.`;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) return `Not a finite number: “${text}”. Nothing was changed.`;
    try {
      const r = await trainer.request({ op: "set_weight", l, k, j, value });
      store.set({ snapshot: r, notice: null });
      await showPreview();
      return null;
    } catch (e) {
      return `${e.message}. Nothing was changed.`;
    }
  }

  return { step, editWeight, showPreview, get preview() { return preview; }, get lastStepMs() { return lastStepMs; } };
}
