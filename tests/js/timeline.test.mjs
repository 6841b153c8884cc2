// js/timeline.js: the four-phase animation of one step as data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { buildTimeline, duration, at, startOf, PHASES, CONDENSED_SPEED } = await site("timeline.js");

test("a step walks forward layer by layer, shows the error at the outputs, walks back, then updates", () => {
  const tl = buildTimeline([2, 4, 2, 1], 1);
  assert.deepEqual(tl.map((e) => [e.phase, e.layer]), [
    ["forward", 0], ["forward", 1], ["forward", 2], ["error", 3],
    ["backward", 2], ["backward", 1], ["backward", 0], ["update", -1]]);
  assert.deepEqual([...new Set(tl.map((e) => e.phase))], PHASES);
});

test("the entries follow each other without gaps, and the duration is where the last ends", () => {
  const tl = buildTimeline([3, 5, 2], 1.5);
  for (let i = 1; i < tl.length; i++) assert.ok(Math.abs(tl[i].t0 - (tl[i - 1].t0 + tl[i - 1].dur)) < 1e-9);
  assert.equal(tl[0].t0, 0);
  assert.equal(duration(tl), tl[tl.length - 1].t0 + tl[tl.length - 1].dur);
  assert.equal(duration([]), 0);
});

test("twice the speed takes half the time", () => {
  const slow = buildTimeline([2, 3, 1], 1), fast = buildTimeline([2, 3, 1], 2);
  assert.ok(Math.abs(duration(slow) - 2 * duration(fast)) < 1e-9);
});

test("at the condensed speed forward and backward take one beat each, for all layers", () => {
  const tl = buildTimeline([2, 4, 4, 1], CONDENSED_SPEED);
  assert.deepEqual(tl.map((e) => [e.phase, e.layer]), [["forward", -1], ["error", 3], ["backward", -1], ["update", -1]]);
  assert.equal(buildTimeline([2, 4, 4, 1], CONDENSED_SPEED, false).length, 3 + 1 + 3 + 1);
});

test("at() says which entry a time falls in and how far into it; after the end it is idle", () => {
  const tl = buildTimeline([2, 1], 1);
  const mid = tl[1].t0 + tl[1].dur / 4;
  assert.deepEqual(at(tl, mid), { phase: tl[1].phase, layer: tl[1].layer, u: 0.25, index: 1 });
  assert.deepEqual(at(tl, -5), { phase: "forward", layer: 0, u: 0, index: 0 });
  assert.deepEqual(at(tl, duration(tl)), { phase: "idle", layer: -1, u: 1, index: tl.length });
  assert.equal(at([], 0).phase, "idle");
});

test("startOf gives the first entry of a phase, null for a phase not in the timeline", () => {
  const tl = buildTimeline([2, 3, 1], 1);
  assert.equal(startOf(tl, "backward"), tl.find((e) => e.phase === "backward").t0);
  assert.equal(at(tl, startOf(tl, "update")).phase, "update");
  assert.equal(startOf(tl, "nothing"), null);
});
