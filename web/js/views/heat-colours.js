// Colours of the heatmaps (data plot and neuron thumbnails): a value in [-1, 1]
// (negative = the first class, orange; positive = the second, blue, as TF
// Playground) or a class index. Pure functions; no DOM, no network math: the
// values are Python's grid outputs, only mapped to colours here.

const NEG = [245, 147, 34], POS = [8, 119, 189], MID = [232, 234, 235];
/** Class colours for more than two classes (d3's category10, as RGB). */
export const CLASS_RGB = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207]];

const mix = (a, b, t) => [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));
// Look-up tables of 256 steps: a heatmap refresh colours thousands of cells
// per frame, so no colour is computed (or allocated) per cell.
const STEPS = 255;
const DIVERGING = Array.from({ length: STEPS + 1 }, (_, i) => {
  const c = (2 * i) / STEPS - 1;
  return c >= 0 ? mix(MID, POS, c) : mix(MID, NEG, -c);
});
const GREY = [200, 200, 200];
const CLASS_LUT = CLASS_RGB.map((base) => Array.from({ length: STEPS + 1 }, (_, i) => mix(MID, base, i / STEPS)));

/** v in [-1, 1] (clamped; null/NaN grey) -> [r, g, b]; `discrete` snaps to the sign. */
export function diverging(v, discrete = false) {
  if (v == null || Number.isNaN(v)) return GREY;
  const c = v < -1 ? -1 : v > 1 ? 1 : v;
  if (discrete) return c >= 0 ? POS : NEG;
  return DIVERGING[Math.round(((c + 1) / 2) * STEPS)];
}

/** Class k with confidence p in [0, 1] (the output's value) -> [r, g, b]. */
export function classColour(k, p = 1, discrete = false) {
  const lut = CLASS_LUT[k % CLASS_LUT.length];
  if (discrete) return lut[STEPS];
  if (p == null || Number.isNaN(p)) return GREY;
  return lut[Math.round((p < 0 ? 0 : p > 1 ? 1 : p) * STEPS)];
}

/** A CSS colour for point/class k of `count` classes (two classes: orange, blue). */
export function pointColour(k, count) {
  const c = count === 2 ? (k === 0 ? NEG : POS) : CLASS_RGB[k % CLASS_RGB.length];
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** How to read one output node's grid values as [-1, 1]: `lo` is the output's
 * negative target (−1 for tanh/linear, 0 for sigmoid), `span` the half-range. */
export function toUnit(v, lo = -1, span = 1) {
  if (v == null) return null;
  return lo === 0 ? 2 * v - 1 : v / span;
}

/** Fill an n×n ImageData from grid values, row i of the grid (x2 growing) drawn
 * bottom-up; colourAt(index) -> [r, g, b]. */
export function fillImage(img, n, colourAt) {
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const row = n - 1 - i;
    for (let j = 0; j < n; j++) {
      const c = colourAt(i * n + j);
      const p = 4 * (row * n + j);
      d[p] = c[0]; d[p + 1] = c[1]; d[p + 2] = c[2]; d[p + 3] = 255;
    }
  }
  return img;
}
