// Node positions and the flat edge list for a network's layer sizes, in the
// view's own coordinate box (W × H). Recomputed only when the sizes change.
import { offsets } from "../protocol.js";

/** Layout in a box W wide (the view's CSS width, 300–640, so text keeps its size):
 *  {W, H, R, nodes: [{l, j, x, y, id}], starts: index of node (l, 0) per layer,
 *  edges: {count, offset, l, k, j (Int32Arrays), x1, y1, x2, y2 (Float32Arrays)}}. */
/** The side of a node's thumbnail (views/network-thumbs.js), drawn right of the node. */
export const thumbSide = (R) => Math.max(12, Math.min(26, 2 * R + 4));
const THUMB_GAP = 3, MARGIN = 6; // node to thumbnail; thumbnail to the box's right edge
/** Networks whose widest layer has at most this many nodes get names and values on their nodes. */
export const LABELLED = 8;
const LABEL_ROOM = 26; // an 11 px name above a node plus an 11 px value below the one above it

export function layoutNetwork(layers, W = 640) {
  const most = Math.max(...layers);
  // Layers of at most LABELLED nodes carry a name above each node and a value
  // below it (views/network.js): room for both between two nodes of radius 14.
  const perNode = most <= LABELLED ? 2 * 14 + LABEL_ROOM : 6;
  // at least 300 high: room for a 4-node layer's names and values, and no empty bands that would
  // push the workbench's other views below a 720 px screen
  const H = Math.max(300, 40 + most * perNode);
  const gap = (H - 40) / most;               // vertical room per node in the fullest layer
  const R = Math.max(2.5, Math.min(14, gap * 0.38));
  // the output layer's thumbnails sit right of their nodes: room for them inside the box
  const x0 = W < 500 ? 30 : 60, x1 = W - Math.max(x0, R + THUMB_GAP + thumbSide(R) + MARGIN);
  const xs = layers.map((_, l) => (layers.length === 1 ? W / 2 : x0 + ((x1 - x0) * l) / (layers.length - 1)));
  const nodes = [];
  const starts = [];
  layers.forEach((n, l) => {
    starts.push(nodes.length);
    const step = Math.min((H - 40) / n, Math.max(gap, 3 * R + 24));
    const top = H / 2 - (step * (n - 1)) / 2;
    for (let j = 0; j < n; j++) nodes.push({ l, j, x: xs[l], y: top + step * j, id: `${l}-${j}` });
  });
  const off = offsets(layers);
  const count = off[off.length - 1];
  const e = {
    count, offset: off,
    l: new Int32Array(count), k: new Int32Array(count), j: new Int32Array(count),
    x1: new Float32Array(count), y1: new Float32Array(count), x2: new Float32Array(count), y2: new Float32Array(count),
  };
  for (let l = 0; l + 1 < layers.length; l++) {
    for (let k = 0; k < layers[l + 1]; k++) {
      for (let j = 0; j < layers[l]; j++) {
        const i = off[l] + k * layers[l] + j;
        const a = nodes[starts[l] + j], b = nodes[starts[l + 1] + k];
        e.l[i] = l; e.k[i] = k; e.j[i] = j;
        e.x1[i] = a.x; e.y1[i] = a.y; e.x2[i] = b.x; e.y2[i] = b.y;
      }
    }
  }
  return { W, H, R, layers: [...layers], nodes, starts, edges: e };
}

/** The edge nearest to (x, y) within `tol` view units, or -1: find the layer
 * gap from x, then each of its edges' y at x (no spatial index needed). */
export function edgeAt(layout, x, y, tol = 4) {
  const { nodes, starts, layers, edges } = layout;
  for (let l = 0; l + 1 < layers.length; l++) {
    const xa = nodes[starts[l]].x, xb = nodes[starts[l + 1]].x;
    if (x < xa || x > xb) continue;
    let best = -1, bestD = tol;
    for (let i = edges.offset[l]; i < edges.offset[l + 1]; i++) {
      const u = (x - edges.x1[i]) / (edges.x2[i] - edges.x1[i]);
      const yy = edges.y1[i] + u * (edges.y2[i] - edges.y1[i]);
      // distance to the line, not just vertical: scale by the slope
      const slope = (edges.y2[i] - edges.y1[i]) / (edges.x2[i] - edges.x1[i]);
      const d = Math.abs(yy - y) / Math.sqrt(1 + slope * slope);
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  }
  return -1;
}
