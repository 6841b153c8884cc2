// The flat layout of per-weight numbers shared by the page's views: edge e of
// the network is weights[l][k][j] at e = offset[l] + k·layers[l] + j
// (destination k first, as in pynet). Pure functions; no DOM, no Pyodide.

/** Offsets of each weight layer in the flat order, plus the total at the end. */
export function offsets(layers) {
  const out = [0];
  for (let l = 0; l + 1 < layers.length; l++) out.push(out[l] + layers[l] * layers[l + 1]);
  return out;
}

/** weights[l][k][j] (nested lists) -> Float64Array in the flat order (null stays null). */
export function flatten(nested) {
  if (!nested) return null;
  let n = 0;
  for (const layer of nested) for (const row of layer) n += row.length;
  const out = new Float64Array(n);
  let i = 0;
  for (const layer of nested) for (const row of layer) for (const v of row) out[i++] = v ?? NaN;
  return out;
}
