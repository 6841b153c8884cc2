// Canvas drawing of a network's edges: bucketed strokes (sign × 8 widths), one
// stroke() per bucket, so 2,368 edges cost a few paths. Knows nothing of the
// animation's meaning: it is given a value per edge and how to draw it.

const BUCKETS = 8;
// Chromium's software rasterizer leaves white seams in one path of many
// hundreds of crossing segments; strokes of at most CHUNK segments do not.
const CHUNK = 48;

/** Stroke the segments of edges listed in idx[0..n) in chunks of CHUNK. */
function strokeChunks(ctx, edges, idx, n) {
  for (let s = 0; s < n; s += CHUNK) {
    ctx.beginPath();
    const end = Math.min(n, s + CHUNK);
    for (let m = s; m < end; m++) {
      const i = idx[m];
      ctx.moveTo(edges.x1[i], edges.y1[i]);
      ctx.lineTo(edges.x2[i], edges.y2[i]);
    }
    ctx.stroke();
  }
}

/** Sort edges [from, to) into `slots` lists by slotOf(i) (−1 = skip). */
function bucket(from, to, slots, slotOf) {
  const lists = Array.from({ length: slots }, () => []);
  for (let i = from; i < to; i++) {
    const s = slotOf(i);
    if (s >= 0) lists[s].push(i);
  }
  return lists;
}

/**
 * Stroke edges [from, to) of the layout whose value is v[i] (signed): colour by
 * sign, width by |v| / maxAbs in BUCKETS steps between minW and maxW.
 * opts: {alpha, dash: [on, off] | null, dashOffset, colours: {pos, neg}}.
 */
export function strokeEdges(ctx, edges, from, to, v, maxAbs, minW, maxW, opts) {
  const scale = maxAbs > 0 ? 1 / maxAbs : 0;
  const lists = bucket(from, to, 2 * BUCKETS, (i) => {
    const x = v[i];
    if (!Number.isFinite(x)) return -1;
    return (x < 0 ? BUCKETS : 0) + Math.min(BUCKETS - 1, Math.floor(Math.abs(x) * scale * BUCKETS));
  });
  ctx.globalAlpha = opts.alpha ?? 1;
  ctx.setLineDash(opts.dash || []);
  ctx.lineDashOffset = opts.dashOffset || 0;
  for (let slot = 0; slot < 2 * BUCKETS; slot++) {
    if (!lists[slot].length) continue;
    const b = slot % BUCKETS;
    ctx.strokeStyle = slot < BUCKETS ? opts.colours.pos : opts.colours.neg;
    ctx.lineWidth = minW + ((b + 0.5) / BUCKETS) * (maxW - minW);
    strokeChunks(ctx, edges, lists[slot], lists[slot].length);
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** Stroke edges [from, to) in one colour with alpha ∝ |v| / maxAbs (flashes, glow). */
export function glowEdges(ctx, edges, from, to, v, maxAbs, width, colour, opts = {}) {
  const scale = maxAbs > 0 ? 1 / maxAbs : 0;
  const lists = bucket(from, to, BUCKETS, (i) => {
    const a = Math.abs(v[i]) * scale;
    return a > 0.02 ? Math.min(BUCKETS - 1, Math.floor(a * BUCKETS)) : -1;
  });
  ctx.strokeStyle = colour;
  ctx.setLineDash(opts.dash || []);
  ctx.lineDashOffset = opts.dashOffset || 0;
  for (let b = 0; b < BUCKETS; b++) {
    if (!lists[b].length) continue;
    ctx.globalAlpha = (opts.alpha ?? 1) * ((b + 1) / BUCKETS);
    ctx.lineWidth = width * (0.5 + (b + 1) / BUCKETS);
    strokeChunks(ctx, edges, lists[b], lists[b].length);
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
