// The network diagram: edges on one canvas, nodes as SVG on top (focusable,
// labelled). draw(frame) is a function of the frame it is given (weights, the
// step being animated and the clock's phase); it keeps what it drew, which
// view() returns. Knows nothing of the worker or the store.
import d3 from "../d3.js";
import { layoutNetwork, edgeAt, LABELLED } from "./network-layout.js";
import { strokeEdges, glowEdges, maxAbs } from "./network-edges.js";
import { nodeName } from "../names.js";
import { fixed } from "../math.js";

const fmt = fixed;
const SVGNS = "http://www.w3.org/2000/svg";

function readPalette(el) {
  const cs = getComputedStyle(el);
  const v = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  return { pos: v("--pos", "#0877bd"), neg: v("--neg", "#f59322"), ink: v("--ink", "#222"),
           muted: v("--muted", "#777"), flash: v("--flash", "#e0245e"), idle: "#ccc" };
}

export function createNetworkView({ stage, canvas, svg, onSelect, onHover }) {
  const ctx = canvas.getContext("2d");
  const palette = readPalette(stage);
  let layout = null;
  let nodeSel = null;
  let cssW = 0, cssH = 0;
  let drawn = { phase: "idle", kind: null, sample: null, weights: null, shares: null,
                activations: null, errors: null, fallback: null };
  let current = null; // the last frame, to redraw on resize

  let names = "x";
  let stageWidth = stage.clientWidth || 640; // kept by the ResizeObserver: reading it per frame forces a layout
  const boxWidth = () => Math.round(Math.min(640, Math.max(300, stageWidth)));
  /** Lay out for these layer sizes (inputs named `inputName`1, 2, …); a no-op when nothing changed. */
  function setLayers(layers, inputName = "x") {
    const W = boxWidth();
    if (layout && layout.layers.join() === layers.join() && layout.W === W && names === inputName) return layout;
    names = inputName;
    drawn.nodeKey = null; // new nodes: draw them at the next frame
    layout = layoutNetwork(layers, W);
    svg.setAttribute("viewBox", `0 0 ${layout.W} ${layout.H}`);
    const small = Math.max(...layers) <= LABELLED;
    const L = layers.length - 1;
    nodeSel = d3.select(svg).selectAll("g.nodes").data([0]).join("g").attr("class", "nodes")
      .selectAll("g.node").data(layout.nodes, (d) => d.id)
      .join((enter) => {
        const g = enter.append("g").attr("class", "node");
        g.append("circle");
        g.append("text").attr("class", "name");
        g.append("text").attr("class", "value");
        g.append("text").attr("class", "fallback").text("†");
        return g;
      })
      .attr("transform", (d) => `translate(${d.x},${d.y})`)
      .attr("tabindex", small ? 0 : null)
      .attr("role", small ? "button" : null)
      .attr("aria-label", (d) => `${d.l === 0 ? "input" : d.l === L ? "output" : "hidden"} node ${d.j + 1} of layer ${d.l}`);
    nodeSel.select("circle").attr("r", layout.R);
    nodeSel.select("text.name").attr("dy", -layout.R - 4)
      .text((d) => (!small ? "" : nodeName(d.l, L, d.j, names)));
    nodeSel.select("text.value").attr("dy", layout.R + 12);
    nodeSel.select("text.fallback").attr("dx", layout.R + 2).attr("dy", -layout.R + 4).attr("display", "none");
    nodeSel.on("click", (ev, d) => onSelect && onSelect({ type: "node", l: d.l, j: d.j }))
      .on("keydown", (ev, d) => {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); ev.stopPropagation(); onSelect && onSelect({ type: "node", l: d.l, j: d.j }); }
      });
    resize();
    return layout;
  }

  function resize() {
    stageWidth = stage.clientWidth || stageWidth;
    if (layout && layout.W !== boxWidth()) { setLayers(layout.layers, names); return; }
    const r = svg.getBoundingClientRect();
    cssW = r.width; cssH = r.height;
    const dpr = Math.min(window.devicePixelRatio || 1, cssW < 640 ? 2 : 3);
    canvas.style.width = `${cssW}px`;
    canvas.style.height = `${cssH}px`;
    canvas.width = Math.max(1, Math.round(cssW * dpr));
    canvas.height = Math.max(1, Math.round(cssH * dpr));
    if (layout) ctx.setTransform((canvas.width / layout.W), 0, 0, canvas.height / layout.H, 0, 0);
    if (current) draw(current);
  }
  new ResizeObserver(resize).observe(svg);

  // pointer -> view coordinates
  function toView(ev) {
    const r = svg.getBoundingClientRect();
    return [((ev.clientX - r.left) / r.width) * layout.W, ((ev.clientY - r.top) / r.height) * layout.H];
  }
  function edgeUnder(ev) {
    if (!layout) return -1;
    const [x, y] = toView(ev);
    const tol = (ev.pointerType === "touch" ? 10 : 4) * layout.W / Math.max(1, cssW);
    return edgeAt(layout, x, y, tol);
  }
  svg.addEventListener("pointermove", (ev) => {
    if (ev.target.closest && ev.target.closest("g.node")) { onHover && onHover(null); return; }
    const i = edgeUnder(ev);
    onHover && onHover(i < 0 ? null : { ...edgeInfo(i), clientX: ev.clientX, clientY: ev.clientY });
  });
  svg.addEventListener("pointerleave", () => onHover && onHover(null));
  svg.addEventListener("click", (ev) => {
    if (ev.target.closest && ev.target.closest("g.node")) return;
    const i = edgeUnder(ev);
    if (i >= 0 && onSelect) onSelect({ type: "edge", ...edgeInfo(i) });
  });

  function edgeInfo(i) {
    const e = layout.edges;
    return { l: e.l[i], k: e.k[i], j: e.j[i], index: i,
             weight: drawn.weights ? drawn.weights[i] : null,
             share: drawn.shares ? drawn.shares[i] : null };
  }

  // OffscreenCanvas -> ImageBitmap: a frame then blits finished rasters (drawing a
  // plain canvas element re-rasterises its recorded strokes at every drawImage in
  // Chromium's software renderer, measured at hundreds of ms for 2,368 edges).
  const offscreen = () => new OffscreenCanvas(1, 1).getContext("2d");
  const cache = { key: null, time: 0, still: offscreen(), moving: offscreen() };
  function clear(c, cv) {
    c.save();
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, cv.width, cv.height);
    c.restore();
  }

  /** Paint the edges: `which` = "all", or only the "still" or the "moving" (animated) part.
   * `pulse` scales the moving part's alpha, `flash` the update phase's |Δw| flash. */
  function paintEdges(c, P, which, pulse, flash) {
    const { edges, phase, clock, L, off, big, minW, maxW, baseAlpha, colours, t, dashes, weights, shares, wMax, frame, step } = P;
    const want = (moving) => which === "all" || (which === "moving") === moving;
    c.lineCap = "butt";
    if (!weights) {
      if (!want(false)) return;
      c.strokeStyle = palette.idle; c.lineWidth = 1;
      const p = new Path2D();
      for (let i = 0; i < edges.count; i++) { p.moveTo(edges.x1[i], edges.y1[i]); p.lineTo(edges.x2[i], edges.y2[i]); }
      c.stroke(p);
      return;
    }
    if (phase === "backward" && shares) {
      // layers not yet reached: weights, faded; reached: the shares sent back along them
      const all = clock.layer < 0;
      for (let l = 0; l < L; l++) {
        const reached = all || l >= clock.layer;
        const active = all || l === clock.layer;
        if (!want(active)) continue;
        if (!reached) { strokeEdges(c, edges, off[l], off[l + 1], weights, wMax, minW, maxW, { alpha: 0.25 * baseAlpha, colours }); continue; }
        const sMax = maxAbs(shares, off[l], off[l + 1]);
        strokeEdges(c, edges, off[l], off[l + 1], shares, sMax, minW + 0.5, maxW + (big ? 0.6 : 2), {
          alpha: active ? pulse : 0.6 * baseAlpha, colours,
          dash: active && dashes ? [7, 6] : null,
          dashOffset: (t / 25) % 1000, // positive offset moves dashes toward the line's start: output -> input
        });
      }
    } else {
      const fwd = phase === "forward";
      for (let l = 0; l < L; l++) {
        const active = fwd && (clock.layer < 0 || clock.layer === l);
        if (!want(active)) continue;
        strokeEdges(c, edges, off[l], off[l + 1], weights, wMax, minW, maxW, {
          alpha: fwd && !active && clock.layer >= 0 && l > clock.layer ? 0.35 * baseAlpha : active ? pulse : baseAlpha, colours,
          dash: active && dashes ? [7, 6] : null,
          dashOffset: -(t / 25) % 1000, // negative: dashes move input -> output
        });
      }
      if (phase === "update" && step && want(true)) {
        // a flash proportional to |Δw| that fades as the edge reaches its new weight
        glowEdges(c, edges, 0, edges.count, step.updates, maxAbs(step.updates), big ? 1.5 : 4, palette.flash, { alpha: flash });
      }
      if (frame.glow && phase === "idle" && want(true)) {
        // condensed (playing): the latest step's batch-mean |share|, flowing backward
        glowEdges(c, edges, 0, edges.count, frame.glow, maxAbs(frame.glow), big ? 1.2 : 3, palette.flash,
                  { alpha: 0.8 * pulse, dash: dashes ? [6, 6] : null, dashOffset: (t / 25) % 1000 });
      }
    }
    if (frame.selected && frame.selected.type === "edge" && want(false)) {
      const i = off[frame.selected.l] + frame.selected.k * layout.layers[frame.selected.l] + frame.selected.j;
      c.strokeStyle = palette.ink; c.lineWidth = big ? 2 : 3; c.globalAlpha = 0.9;
      c.setLineDash([2, 3]);
      c.beginPath(); c.moveTo(edges.x1[i], edges.y1[i]); c.lineTo(edges.x2[i], edges.y2[i]); c.stroke();
      c.setLineDash([]); c.globalAlpha = 1;
    }
  }

  /**
   * frame: {layers, weights: Float64Array|null, step: {trace, shares: {kind: F64},
   * updates: F64, before: F64, after: F64, sample} | null, clock: {phase, layer, u},
   * kind, condensed, glow: F64|null, now, selected, reduced}. Returns true while animating.
   */
  function draw(frame) {
    current = frame;
    if (!layout) return false;
    const { edges } = layout;
    const { step, clock, kind } = frame;
    const phase = clock ? clock.phase : "idle";
    const u = frame.reduced ? 1 : clock ? clock.u : 1;
    const L = layout.layers.length - 1;
    const off = edges.offset;
    const big = edges.count > 400;
    const maxW = big ? 1.6 : 6, minW = big ? 0.25 : 0.5;
    const baseAlpha = big ? 0.45 : 1;
    const colours = { pos: palette.pos, neg: palette.neg };
    const t = frame.now || 0;
    const dashes = !frame.reduced && !big;
    const pulse = big && !frame.reduced ? 0.65 + 0.35 * Math.sin(t / 120) : 1;

    // the weights as drawn: before the step until the update phase, morphing during it.
    // Big networks morph in 8 steps (each repaints every edge; see the cache below).
    let weights = frame.weights;
    const uq = phase !== "update" ? 0 : big ? Math.round(u * 8) / 8 : u;
    if (step && phase !== "idle") {
      if (phase === "update") {
        weights = drawn.morph && drawn.morph.length === step.before.length ? drawn.morph : new Float64Array(step.before.length);
        for (let i = 0; i < weights.length; i++) weights[i] = step.before[i] + uq * (step.after[i] - step.before[i]);
        drawn.morph = weights;
      } else weights = step.before;
    }
    const shares = step ? step.shares[kind] || null : null;
    const P = { edges, phase, clock, L, off, big, minW, maxW, baseAlpha, colours, t, dashes, weights, shares,
                wMax: weights ? maxAbs(weights) : 0, frame, step, uq };

    clear(ctx, canvas);
    if (!big) {
      paintEdges(ctx, P, "all", pulse, 1 - 0.7 * u);
    } else {
      // Big networks: the still part and the animated part are painted into two
      // offscreen canvases when they change; a frame is then two drawImage calls,
      // the animated one with a pulsing alpha.
      const key = [phase, clock ? clock.layer : -1, kind, uq, canvas.width, canvas.height,
                   JSON.stringify(frame.selected)].join("|");
      // While playing, new weights arrive with every slice: repaint them at most
      // once a second; the glow (the moving part) when a new one arrives.
      const fresh = key !== cache.key || step !== cache.step;
      const newWeights = frame.weights !== cache.weights && !(frame.playing && t - cache.time < 1000);
      const newGlow = frame.glow !== cache.glow;
      const part = (c, which) => {
        // half resolution: 2,368 thin lines rasterise ~4× faster, and are a texture at this density anyway
        c.canvas.width = Math.ceil(canvas.width / 2); c.canvas.height = Math.ceil(canvas.height / 2);
        const m = ctx.getTransform();
        c.setTransform(m.a / 2, 0, 0, m.d / 2, 0, 0);
        clear(c, c.canvas);
        paintEdges(c, P, which, 1, 1);
        return c.canvas.transferToImageBitmap();
      };
      if (fresh || newWeights) {
        Object.assign(cache, { key, step, weights: frame.weights, time: t });
        if (cache.stillBitmap) cache.stillBitmap.close();
        cache.stillBitmap = part(cache.still, "still");
      }
      if (fresh || newGlow) {
        cache.glow = frame.glow;
        if (cache.movingBitmap) cache.movingBitmap.close();
        cache.movingBitmap = part(cache.moving, "moving");
      }
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(cache.stillBitmap, 0, 0, canvas.width, canvas.height);
      ctx.globalAlpha = phase === "update" ? 1 - 0.7 * u : pulse;
      ctx.drawImage(cache.movingBitmap, 0, 0, canvas.width, canvas.height);
      ctx.restore();
    }

    const nodeKey = [phase, clock ? clock.layer : -1, u > 0.5, u > 0.6, kind,
                     JSON.stringify(frame.selected)].join("|");
    if (nodeKey !== drawn.nodeKey || step !== drawn.nodeStep) drawNodes(frame, phase, u, weights, shares);
    drawn.nodeKey = nodeKey;
    drawn.nodeStep = step;
    Object.assign(drawn, { phase, kind, sample: step ? step.sample : null, weights, shares });
    return phase !== "idle" || Boolean(frame.glow && !frame.reduced && frame.playing);
  }

  function drawNodes(frame, phase, u, weights, shares) {
    const { step, clock, kind } = frame;
    const L = layout.layers.length - 1;
    const tr = step ? step.trace : null;
    const acts = tr ? tr.activations : null;
    const errs = tr && tr.node_errors[kind] ? tr.node_errors[kind] : null;
    const rules = tr ? tr.share_rules : null;
    // how far each phase has reached
    const shownAct = (l) => {
      if (!acts) return false;
      if (phase === "idle") return true;
      if (phase === "forward") return clock.layer < 0 ? u > 0.5 : l <= clock.layer + (u > 0.6 ? 1 : 0);
      return true;
    };
    const shownErr = (l) => {
      if (!errs) return false;
      if (phase === "error") return l === L;
      if (phase === "backward") return clock.layer < 0 ? u > 0.5 : l > clock.layer || (l === clock.layer && u > 0.6);
      return phase === "update" || (phase === "idle" && step);
    };
    let eMax = 0;
    if (errs) for (const row of errs) if (row) for (const v of row) eMax = Math.max(eMax, Math.abs(v));
    const colour = d3.scaleLinear().domain([-1, 0, 1]).range([palette.neg, "#fff", palette.pos]).clamp(true);
    const small = Math.max(...layout.layers) <= 8;
    nodeSel.each(/** @this {SVGGElement} */ function (d) {
      const g = d3.select(this);
      const a = acts && acts[d.l] ? acts[d.l][d.j] : null;
      const e = errs && errs[d.l] ? errs[d.l][d.j] : null;
      const sa = shownAct(d.l) && a != null, se = shownErr(d.l) && e != null;
      const sel = frame.selected && frame.selected.type === "node" && frame.selected.l === d.l && frame.selected.j === d.j;
      // inline styles: the stylesheet's defaults would beat presentation attributes
      g.select("circle")
        .style("fill", sa ? colour(a) : "#fff")
        .style("stroke", se ? (e >= 0 ? palette.pos : palette.neg) : sel ? palette.ink : "#555")
        .style("stroke-width", se ? 1.5 + (eMax ? (Math.abs(e) / eMax) * (small ? 5 : 2) : 0) : sel ? 3 : 1.5);
      let text = "";
      if (small && step) {
        if ((phase === "error" && d.l === L) || ((phase === "backward" || phase === "update") && se)) text = `e ${fmt(e)}`;
        else if (sa) text = fmt(a);
      }
      g.select("text.value").text(text);
      const fb = kind === "proportional" && rules && d.l > 0 && rules[d.l - 1] && rules[d.l - 1][d.j] !== "sum";
      g.select("text.fallback").attr("display", fb ? null : "none");
      if (fb) g.select("text.fallback").attr("aria-label", `fallback rule ${rules[d.l - 1][d.j]}`);
      g.classed("selected", sel);
    });
  }

  return {
    setLayers,
    draw,
    /** What is drawn right now, as numbers from the view's own data (the view() contract). */
    view() {
      if (!layout) return null;
      const e = layout.edges;
      const step = current ? current.step : null;
      const tr = step ? step.trace : null;
      const kind = drawn.kind;
      const edges = new Array(e.count);
      for (let i = 0; i < e.count; i++) {
        edges[i] = { l: e.l[i], k: e.k[i], j: e.j[i],
                     weight: drawn.weights ? drawn.weights[i] : null,
                     share: drawn.shares ? drawn.shares[i] : null };
      }
      const nodes = layout.nodes.map((d) => {
        const rule = tr && d.l > 0 ? tr.share_rules[d.l - 1][d.j] : null;
        return { l: d.l, j: d.j,
                 activation: tr ? tr.activations[d.l][d.j] : null,
                 error: tr && tr.node_errors[kind] ? tr.node_errors[kind][d.l][d.j] : null,
                 fallback: kind === "proportional" && rule != null && rule !== "sum" ? rule : null };
      });
      return { phase: drawn.phase, kind, sample: drawn.sample, edges, nodes };
    },
    get layout() { return layout; },
  };
}
