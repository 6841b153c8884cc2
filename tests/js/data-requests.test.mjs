// js/data/requests.js: what the data side asks Python for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { gridRequest, playGridRequest, unscale, pair, isDigits, plotted, STILL_GRID_N, PLAY_GRID_N } =
  await site("data/requests.js");
const { default: buildInfo } = await site("build-info.js");

const state = ({ layers = [2, 4, 1], dataset = "circle", preset = "", features = "0,1", phase = "ready" } = {}) =>
  ({ phase, page: { preset, features }, snapshot: { layers, settings: { dataset } } });

test("the plotted features are the page's pair, or the first two when the network has fewer inputs", () => {
  assert.deepEqual(pair(state({ layers: [4, 3, 1], features: "2,3" })), [2, 3]);
  assert.deepEqual(pair(state({ layers: [2, 3, 1], features: "2,3" })), [0, 1]);
});

test("nothing is plotted under a preset or before a snapshot; digits are drawn as images", () => {
  assert.equal(plotted(state({ preset: "chapter" })), false);
  assert.equal(plotted({ page: { preset: "" }, snapshot: null }), false);
  assert.equal(isDigits(state({ dataset: "digits" })), true);
  assert.equal(gridRequest(state({ dataset: "digits" }), STILL_GRID_N, null), null);
  assert.equal(gridRequest(state({ preset: "wide" }), STILL_GRID_N, null), null);
});

test("a grid request asks for the plotted pair, with neurons only for two inputs", () => {
  const req = gridRequest(state({ layers: [4, 3, 1], features: "1,3" }), STILL_GRID_N, null);
  assert.equal(req.op, "grid");
  assert.deepEqual(req.features, [1, 3]);
  assert.equal(req.neurons, false);
  assert.equal(gridRequest(state(), STILL_GRID_N, null).neurons, true);
});

test("a big network gets a coarser grid, never below pynet's smallest", () => {
  const [lo] = buildInfo.settings.limits.grid;
  const small = gridRequest(state({ layers: [2, 2, 1] }), STILL_GRID_N, null).n;
  const big = gridRequest(state({ layers: [2, 64, 64, 64, 1] }), STILL_GRID_N, null).n;
  assert.ok(big <= small && big >= lo, `${big} vs ${small}`);
  assert.ok(small <= STILL_GRID_N);
});

test("own 2-D data keeps the ±6 plane while its points fit in it", () => {
  const s = state({ dataset: "custom" });
  const inside = { train_x: [[1, 2]], test_x: [[-5.5, 6]] };
  const outside = { train_x: [[1, 2]], test_x: [[-7, 0]] };
  assert.deepEqual(gridRequest(s, STILL_GRID_N, inside).x_range, [-6, 6]);
  assert.equal(gridRequest(s, STILL_GRID_N, outside).x_range, undefined);
});

test("the play loop's request is the smaller, scaled one, and none before Python is ready", () => {
  const req = playGridRequest(state(), null);
  assert.equal(req.scaled, true);
  assert.equal(req.digits, 2);
  assert.ok(req.n <= PLAY_GRID_N);
  assert.equal(playGridRequest(state({ phase: "loading" }), null), null);
});

test("unscale turns a scaled grid's integers back into values and leaves nulls and plain grids alone", () => {
  const g = { scale: 100, outputs: [[50, -25, null]], neurons: [[[100, 0]]] };
  const back = unscale(g);
  assert.deepEqual(back.outputs, [[0.5, -0.25, null]]);
  assert.deepEqual(back.neurons, [[[1, 0]]]);
  assert.equal(back.scale, undefined);
  const plain = { outputs: [[0.5]] };
  assert.equal(unscale(plain), plain);
});
