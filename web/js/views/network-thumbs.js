// Neuron thumbnails: each hidden and output node of the network view carries
// a small heatmap of its own output over the input plane (Python's grid op
// with neurons: true), beside the node. One n×n canvas per node, placed in
// percent of the diagram's box so the browser scales it with the SVG; a
// refresh is one putImageData per node. Only for 2-D inputs. No network math:
// the values are Python's, mapped to colours.
import { diverging, fillImage } from "./heat-colours.js";
import { thumbSide } from "./network-layout.js";

export function createThumbs(box) {
  let placed = null;   // the layout the canvases are placed for
  let tiles = [];      // [{l, k, canvas, ctx}]

  function place(layout) {
    placed = layout;
    box.replaceChildren();
    tiles = [];
    if (!layout || layout.layers[0] !== 2) return;
    const s = thumbSide(layout.R);
    for (let l = 1; l < layout.layers.length; l++) {
      for (let k = 0; k < layout.layers[l]; k++) {
        const node = layout.nodes[layout.starts[l] + k];
        const c = document.createElement("canvas");
        const x = Math.min(node.x + layout.R + 3, layout.W - s - 1); // (the layout leaves room)
        Object.assign(c.style, { left: `${(100 * x) / layout.W}%`, top: `${(100 * (node.y - s / 2)) / layout.H}%`,
                                 width: `${(100 * s) / layout.W}%`, height: `${(100 * s) / layout.H}%` });
        c.hidden = true;
        box.append(c);
        tiles.push({ l: l - 1, k, canvas: c, ctx: c.getContext("2d"), img: null });
      }
    }
  }

  /** layout: the network view's layout; grid: Python's grid answer with `neurons`
   * (or null: hide); acts: activation name per weight layer (snapshot.activations). */
  function draw(layout, grid, acts, discretize) {
    if (layout !== placed) place(layout);
    let shown = 0;
    for (const t of tiles) {
      const values = grid && grid.neurons && grid.neurons[t.l] ? grid.neurons[t.l][t.k] : null;
      const n = grid ? grid.n : 0;
      if (!values || values.length !== n * n) { t.canvas.hidden = true; continue; }
      if (t.canvas.width !== n) { t.canvas.width = n; t.canvas.height = n; t.img = null; }
      if (!t.img) t.img = t.ctx.createImageData(n, n);
      // colour scale per node: sigmoid's 0..1 read as −1..1, others by their largest |value|
      let most = 0;
      for (const v of values) if (v != null && Math.abs(v) > most) most = Math.abs(v);
      const sigmoid = Array.isArray(acts) && acts[t.l] === "sigmoid";
      const unit = sigmoid ? (v) => 2 * v - 1 : (v) => (most ? v / most : 0);
      fillImage(t.img, n, (i) => diverging(values[i] == null ? null : unit(values[i]), discretize));
      t.ctx.putImageData(t.img, 0, 0);
      t.canvas.style.imageRendering = discretize ? "pixelated" : "auto";
      t.canvas.hidden = false;
      shown++;
    }
    box.dataset.thumbs = String(shown);
  }
  return { draw };
}
