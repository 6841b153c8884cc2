// js/protocol.js: the flat order of per-weight numbers that the page's views and
// the worker's play loop share.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { offsets, flatten } = await site("protocol.js");

test("offsets start each weight layer after the ones before it, with the total at the end", () => {
  assert.deepEqual(offsets([2, 4, 2, 1]), [0, 8, 16, 18]);
  assert.deepEqual(offsets([3]), [0]);
});

test("flatten lays weights[l][k][j] out destination first, layer after layer", () => {
  const nested = [[[1, 2], [3, 4], [5, 6]], [[7, 8, 9]]];
  assert.deepEqual([...flatten(nested)], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(flatten(nested) instanceof Float64Array);
});

test("flatten puts the edge of weights[l][k][j] at offset[l] + k·layers[l] + j", () => {
  const layers = [2, 3, 1];
  const nested = [[[0, 1], [10, 11], [20, 21]], [[100, 101, 102]]];
  const flat = flatten(nested);
  const off = offsets(layers);
  for (let l = 0; l < nested.length; l++) {
    for (let k = 0; k < nested[l].length; k++) {
      for (let j = 0; j < nested[l][k].length; j++) {
        assert.equal(flat[off[l] + k * layers[l] + j], nested[l][k][j]);
      }
    }
  }
});

test("a null weight (the facade's JSON for a number that is not finite) becomes NaN, not 0", () => {
  const flat = flatten([[[1, null], [null, -2]]]);
  assert.equal(flat.length, 4);
  assert.equal(flat[0], 1);
  assert.ok(Number.isNaN(flat[1]) && Number.isNaN(flat[2]));
  assert.equal(flat[3], -2);
});

test("no weights at all (null or undefined) stay null", () => {
  assert.equal(flatten(null), null);
  assert.equal(flatten(undefined), null);
});
