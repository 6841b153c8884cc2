// The clock of one step's four-phase animation. start() takes a finished
// step (its trace, the weights before and after) and resolves when its
// timeline has played out; the scheduler asks clock() every frame. Pause,
// speed changes and jumping only move the clock; nothing here trains.
import { buildTimeline, at, duration, startOf } from "./timeline.js";
import { flatten } from "./protocol.js";

export function createAnimator({ invalidate, now = () => performance.now() }) {
  let step = null;      // {trace, shares: {kind: F64}, updates, before, after, sample}
  let timeline = [];
  let t0 = 0;           // clock origin: position = (now − t0)
  let frozenAt = null;  // position while paused (seekable clock), else null
  let done = null;      // resolve() of the running animation
  let speed = 1, condensed = false;

  const position = () => (frozenAt != null ? frozenAt : now() - t0);

  function finish() {
    if (done) { const d = done; done = null; d(); }
  }

  return {
    /** Animate one step; resolves when the animation has finished (or was cut short by the next). */
    start({ trace, before, after, sample, layers, granularity, batch }) {
      finish(); // a new step cuts the running one short
      const shares = {};
      for (const [kind, nested] of Object.entries(trace.shares)) shares[kind] = flatten(nested);
      step = { trace, shares, updates: flatten(trace.updates), before, after, sample, layers, granularity, batch };
      timeline = buildTimeline(layers, speed, condensed || undefined);
      t0 = now();
      frozenAt = null;
      invalidate();
      return new Promise((resolve) => { done = resolve; });
    },
    /** Hold a step without animating it (phase "idle"): a preview of the next sample. */
    show({ trace, before, after, sample, layers, granularity, batch }) {
      finish();
      const shares = {};
      for (const [kind, nested] of Object.entries(trace.shares)) shares[kind] = flatten(nested);
      step = { trace, shares, updates: flatten(trace.updates), before, after, sample, layers, granularity, batch };
      timeline = [];
      frozenAt = null;
      invalidate();
    },
    /** {phase, layer, u} now; resolves the running animation once it is over. */
    clock() {
      if (!step) return { phase: "idle", layer: -1, u: 1 };
      const c = at(timeline, position());
      if (c.phase === "idle") finish();
      return c;
    },
    get step() { return step; },
    /** Forget the step (the network was rebuilt). */
    clear() { finish(); step = null; timeline = []; invalidate(); },
    /** Speed 0.25–8; the clock keeps its relative position in the timeline. */
    setSpeed(s, forceCondensed = false) {
      const total = duration(timeline);
      const frac = total ? Math.min(1, position() / total) : 1;
      speed = s; condensed = forceCondensed;
      if (!step) return;
      timeline = buildTimeline(step.layers, speed, condensed || undefined);
      const pos = frac * duration(timeline);
      if (frozenAt != null) frozenAt = pos; else t0 = now() - pos;
      invalidate();
    },
    /** Freeze the clock at the start of `phase` (u = `u`), or release it with null. */
    seek(phase, u = 0.5) {
      if (!step) return false;
      if (!timeline.length) timeline = buildTimeline(step.layers, speed, condensed || undefined);
      if (phase == null) { t0 = now() - (frozenAt ?? 0); frozenAt = null; invalidate(); return true; }
      const s = startOf(timeline, phase);
      if (s == null) return false;
      const e = timeline.find((x) => x.phase === phase);
      frozenAt = s + u * e.dur;
      invalidate();
      return true;
    },
    /** Jump to the end of the running animation. */
    skip() { if (step) { frozenAt = null; t0 = now() - duration(timeline); invalidate(); } },
    get running() { return Boolean(step) && at(timeline, position()).phase !== "idle"; },
  };
}
