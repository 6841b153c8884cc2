// Canvas drawing of a network's edges: bucketed strokes (sign × 8 widths), one
// stroke() per bucket, so 2,368 edges cost a few paths. Knows nothing of the
// animation's meaning: it is given a value per edge and how to draw it.

const BUCKETS = 8;

/**
 * Stroke edges [from, to) of the layout whose value is v[i] (signed): colour by
 * sign, width by |v| / maxAbs in BUCKETS steps between minW and maxW.
 * opts: {alpha, dash: [on, off] | null, dashOffset, colours: {pos, neg}}.
 */
export function strokeEdges(ctx, edges, from, to, v, maxAbs, minW, maxW, opts) {
  const paths = new Array(2 * BUCKETS);
  const scale = maxAbs > 0 ? 1 / maxAbs : 0;
  for (let i = from; i < to; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) continue;
    const b = Math.min(BUCKETS - 1, Math.floor(Math.abs(x) * scale * BUCKETS));
    const slot = (x < 0 ? BUCKETS : 0) + b;
    const p = paths[slot] || (paths[slot] = new Path2D());
    p.moveTo(edges.x1[i], edges.y1[i]);
    p.lineTo(edges.x2[i], edges.y2[i]);
  }
  ctx.globalAlpha = opts.alpha ?? 1;
  ctx.setLineDash(opts.dash || []);
  ctx.lineDashOffset = opts.dashOffset || 0;
  for (let slot = 0; slot < 2 * BUCKETS; slot++) {
    if (!paths[slot]) continue;
    const b = slot % BUCKETS;
    ctx.strokeStyle = slot < BUCKETS ? opts.colours.pos : opts.colours.neg;
    ctx.lineWidth = minW + ((b + 0.5) / BUCKETS) * (maxW - minW);
    ctx.stroke(paths[slot]);
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** Stroke edges [from, to) in one colour with alpha ∝ |v| / maxAbs (flashes, glow). */
export function glowEdges(ctx, edges, from, to, v, maxAbs, width, colour, opts = {}) {
  const paths = new Array(BUCKETS);
  const scale = maxAbs > 0 ? 1 / maxAbs : 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(v[i]) * scale;
    if (!(a > 0.02)) continue;
    const b = Math.min(BUCKETS - 1, Math.floor(a * BUCKETS));
    const p = paths[b] || (paths[b] = new Path2D());
    p.moveTo(edges.x1[i], edges.y1[i]);
    p.lineTo(edges.x2[i], edges.y2[i]);
  }
  ctx.strokeStyle = colour;
  ctx.setLineDash(opts.dash || []);
  ctx.lineDashOffset = opts.dashOffset || 0;
  for (let b = 0; b < BUCKETS; b++) {
    if (!paths[b]) continue;
    ctx.globalAlpha = (opts.alpha ?? 1) * ((b + 1) / BUCKETS);
    ctx.lineWidth = width * (0.5 + (b + 1) / BUCKETS);
    ctx.stroke(paths[b]);
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** Largest |v[i]| for i in [from, to) (finite values only). */
export function maxAbs(v, from = 0, to = v ? v.length : 0) {
  let m = 0;
  for (let i = from; i < to; i++) { const a = Math.abs(v[i]); if (a > m && Number.isFinite(a)) m = a; }
  return m;
}
