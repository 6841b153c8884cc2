// The four-phase animation of one step as data: buildTimeline() lays out the
// phases, at() says where a clock time falls. Pure: no DOM, no timers, so play,
// pause, speed and jumping to a phase only move the clock.

export const PHASES = ["forward", "error", "backward", "update"];
// Base durations in ms at speed 1 (per layer for forward and backward).
const BASE = { forward: 450, error: 700, backward: 700, update: 700 };
/** At this speed and above the walk-through condenses to one beat per phase. */
export const CONDENSED_SPEED = 4;

/**
 * Timeline for a network with `layers` node counts at `speed` (0.25–8):
 * [{phase, layer, t0, dur}], forward over weight layers 0…L−1, error at the
 * outputs (layer L), backward over weight layers L−1…0, update (all layers).
 * When `condensed`, forward and backward take one entry each (layer = -1: all).
 */
export function buildTimeline(layers, speed = 1, condensed = speed >= CONDENSED_SPEED) {
  const L = layers.length - 1;
  const s = Math.max(0.05, speed);
  const out = [];
  let t = 0;
  const push = (phase, layer, base) => { out.push({ phase, layer, t0: t, dur: base / s }); t += base / s; };
  if (condensed) {
    push("forward", -1, BASE.forward);
    push("error", L, BASE.error);
    push("backward", -1, BASE.backward);
  } else {
    for (let l = 0; l < L; l++) push("forward", l, BASE.forward);
    push("error", L, BASE.error);
    for (let l = L - 1; l >= 0; l--) push("backward", l, BASE.backward);
  }
  push("update", -1, BASE.update);
  return out;
}

/** Total duration of a timeline in ms. */
export const duration = (timeline) => {
  const last = timeline[timeline.length - 1];
  return last ? last.t0 + last.dur : 0;
};

/** Where time t (ms from the start) falls: {phase, layer, u in [0,1], index};
 * before the start the first entry at u = 0, after the end phase "idle". */
export function at(timeline, t) {
  if (!timeline.length || t >= duration(timeline)) return { phase: "idle", layer: -1, u: 1, index: timeline.length };
  for (let i = 0; i < timeline.length; i++) {
    const e = timeline[i];
    if (t < e.t0 + e.dur) return { phase: e.phase, layer: e.layer, u: Math.max(0, (t - e.t0) / e.dur), index: i };
  }
  return { phase: "idle", layer: -1, u: 1, index: timeline.length };
}

/** The start time of the first entry of `phase` (for "jump to phase"). */
export function startOf(timeline, phase) {
  const e = timeline.find((x) => x.phase === phase);
  return e ? e.t0 : null;
}
