// js/views/network-layout.js: where the nodes and edges of the network view go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { layoutNetwork, edgeAt } = await site("views/network-layout.js");
const { offsets } = await site("protocol.js");

test("every node of every layer is placed once, layer by layer from left to right", () => {
  const layers = [2, 4, 2, 1];
  const L = layoutNetwork(layers);
  assert.equal(L.nodes.length, 9);
  assert.deepEqual(L.starts, [0, 2, 6, 8]);
  for (let l = 1; l < layers.length; l++) assert.ok(L.nodes[L.starts[l]].x > L.nodes[L.starts[l - 1]].x);
  for (const n of L.nodes) assert.ok(n.x > 0 && n.x < L.W && n.y > 0 && n.y < L.H, JSON.stringify(n));
});

test("edge e joins node j of layer l to node k of layer l+1 at protocol.js's flat index", () => {
  const layers = [3, 2, 2];
  const L = layoutNetwork(layers);
  const off = offsets(layers);
  assert.equal(L.edges.count, off[off.length - 1]);
  for (let l = 0; l + 1 < layers.length; l++) {
    for (let k = 0; k < layers[l + 1]; k++) {
      for (let j = 0; j < layers[l]; j++) {
        const i = off[l] + k * layers[l] + j;
        const from = L.nodes[L.starts[l] + j], to = L.nodes[L.starts[l + 1] + k];
        assert.deepEqual([L.edges.l[i], L.edges.k[i], L.edges.j[i]], [l, k, j]);
        assert.ok(Math.abs(L.edges.x1[i] - from.x) < 1e-3 && Math.abs(L.edges.y2[i] - to.y) < 1e-3);
      }
    }
  }
});

test("edgeAt finds the edge under a point on it and none far from every edge", () => {
  const L = layoutNetwork([2, 2, 1]);
  const e = L.edges;
  for (const i of [0, 3, 4]) {
    const x = (e.x1[i] + e.x2[i]) / 2, y = (e.y1[i] + e.y2[i]) / 2;
    assert.equal(edgeAt(L, x, y), i);
  }
  assert.equal(edgeAt(L, -100, -100), -1);
  assert.equal(edgeAt(L, e.x1[0] + 1, -50), -1);
});

test("a wide network gets smaller nodes than a small one", () => {
  assert.ok(layoutNetwork([64, 32, 10]).R < layoutNetwork([2, 4, 1]).R);
});
