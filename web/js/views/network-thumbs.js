// Neuron thumbnails: each hidden and output node of the network view carries
// a small heatmap of its own output over the input plane (Python's grid op
// with neurons: true), drawn on a canvas above the diagram, beside the node.
// Only for 2-D inputs. No network math: values are Python's, mapped to colours.
import { diverging, fillImage } from "./heat-colours.js";

export function createThumbs(canvas, svg) {
  const ctx = canvas.getContext("2d");
  const tile = document.createElement("canvas");
  const tctx = tile.getContext("2d");
  let drawnKey = null;

  /** layout: the network view's layout; grid: Python's grid answer with `neurons`
   * (or null: clear); acts: activation name per node layer (snapshot.activations). */
  function draw(layout, grid, acts, discretize) {
    const r = svg.getBoundingClientRect();
    const key = [layout && layout.W, layout && layout.layers.join(), r.width, r.height].join("|");
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    if (key !== drawnKey) {
      drawnKey = key;
      canvas.style.width = `${r.width}px`;
      canvas.style.height = `${r.height}px`;
      canvas.width = Math.max(1, Math.round(r.width * dpr));
      canvas.height = Math.max(1, Math.round(r.height * dpr));
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    canvas.dataset.thumbs = "0";
    if (!layout || !grid || !grid.neurons || layout.layers[0] !== 2) return;
    if (grid.neurons.length !== layout.layers.length - 1) return; // a grid of another network
    ctx.setTransform(canvas.width / layout.W, 0, 0, canvas.height / layout.H, 0, 0);
    ctx.imageSmoothingEnabled = !discretize;
    const n = grid.n;
    tile.width = n; tile.height = n;
    const img = tctx.createImageData(n, n);
    const s = Math.max(12, Math.min(26, 2 * layout.R + 4));
    let count = 0;
    grid.neurons.forEach((nodes, l) => {
      const act = Array.isArray(acts) ? acts[l] : null;
      nodes.forEach((values, k) => {
        const node = layout.nodes[layout.starts[l + 1] + k];
        if (!node || values.length !== n * n) return;
        // colour scale per node: sigmoid's 0..1 read as −1..1, others by their largest |value|
        let most = 0;
        for (const v of values) if (v != null && Math.abs(v) > most) most = Math.abs(v);
        const unit = act === "sigmoid" ? (v) => 2 * v - 1 : (v) => (most ? v / most : 0);
        fillImage(img, n, (i) => diverging(values[i] == null ? null : unit(values[i]), discretize));
        tctx.putImageData(img, 0, 0);
        const x = Math.min(node.x + layout.R + 3, layout.W - s - 1);
        ctx.drawImage(tile, x, node.y - s / 2, s, s);
        ctx.strokeStyle = "#999"; ctx.lineWidth = 0.5;
        ctx.strokeRect(x, node.y - s / 2, s, s);
        count++;
      });
    });
    canvas.dataset.thumbs = String(count);
  }
  return { draw };
}
