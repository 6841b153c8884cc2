// The data plot: train points (filled) and test points (hollow) over two
// features, and behind them the decision-boundary or regression heatmap from
// Python's grid op. draw(frame) is a function of the frame it is given and
// redraws only the parts whose data changed; it knows nothing of the worker
// or the store, and computes no network math (grid values are Python's).
import d3 from "../d3.js";
import { diverging, classColour, pointColour, toUnit, fillImage } from "./heat-colours.js";

const W = 320, H = 320, M = { left: 38, right: 8, top: 8, bottom: 34 };

/** frame: {points: {train, test (arrays of [x, y]), trainY, testY} | null,
 *  kind: "classes" | "regression", classCount, grid: Python's grid answer | null,
 *  outLo: the output's negative target (−1 or 0), span: regression colour range,
 *  discretize, highlight: [x, y] | null, highlightIndex, names: [x name, y name]}. */
const pct = (x, of) => `${(100 * x) / of}%`;

export function createDataPlot(svg) {
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const root = d3.select(svg);
  // the heatmap: an n×n canvas behind the SVG (its own layer: a refresh is one
  // putImageData, and the points above are not repainted), placed in percent
  // of the SVG's box so the browser stretches it with the plot
  // (the grid's cells are centred on its range's ends, so the canvas reaches half a
  // cell beyond the axes; a box over the plot area clips it)
  const clip = document.createElement("div");
  clip.className = "heat-clip";
  Object.assign(clip.style, { left: pct(M.left, W), top: pct(M.top, H),
                              width: pct(W - M.left - M.right, W), height: pct(H - M.top - M.bottom, H) });
  const heatCanvas = document.createElement("canvas");
  heatCanvas.className = "heat";
  clip.append(heatCanvas);
  svg.before(clip);
  const hctx = heatCanvas.getContext("2d");
  const gx = root.append("g").attr("class", "axis x").attr("transform", `translate(0,${H - M.bottom})`);
  const gy = root.append("g").attr("class", "axis y").attr("transform", `translate(${M.left},0)`);
  const xName = root.append("text").attr("class", "axis-name").attr("x", (M.left + W - M.right) / 2).attr("y", H - 4).attr("text-anchor", "middle");
  const yName = root.append("text").attr("class", "axis-name").attr("transform", `translate(11,${(M.top + H - M.bottom) / 2}) rotate(-90)`).attr("text-anchor", "middle");
  const gTrain = root.append("g").attr("class", "points train");
  const gTest = root.append("g").attr("class", "points test");
  const ring = root.append("circle").attr("class", "sample-highlight").attr("r", 9).attr("display", "none");
  let sx = d3.scaleLinear().range([M.left, W - M.right]);
  let sy = d3.scaleLinear().range([H - M.bottom, M.top]);
  const drawn = { domain: null, points: null, grid: null, discretize: null, names: null, colours: null };

  function domainOf(frame) {
    const g = frame.grid;
    if (g) return [g.x_range, g.y_range];
    const p = frame.points;
    if (!p || !p.train.length + p.test.length) return [[-6, 6], [-6, 6]];
    const all = [...p.train, ...p.test];
    const span = (i) => {
      const [lo, hi] = d3.extent(all, (q) => q[i]);
      const pad = (hi - lo) * 0.1 || 1;
      return [lo - pad, hi + pad];
    };
    return [span(0), span(1)];
  }

  function pointFill(frame, y) {
    if (frame.kind === "regression") {
      const [r, g, b] = diverging(y / (frame.span || 1));
      return `rgb(${r},${g},${b})`;
    }
    return pointColour(y, frame.classCount);
  }

  function drawPoints(frame) {
    const p = frame.points || { train: [], test: [], trainY: [], testY: [] };
    const join = (g, xs, ys, set) => g.selectAll("circle").data(xs)
      .join("circle").attr("r", 3.6)
      .attr("cx", (q) => sx(q[0])).attr("cy", (q) => sy(q[1]))
      .attr("data-set", set)
      .style("fill", (q, i) => (set === "train" ? pointFill(frame, ys[i]) : "#fff"))
      .style("stroke", (q, i) => (set === "train" ? "#fff" : pointFill(frame, ys[i])))
      .style("stroke-width", set === "train" ? 0.8 : 1.8);
    join(gTrain, p.train, p.trainY, "train");
    join(gTest, p.test, p.testY, "test");
    svg.dataset.train = String(p.train.length);
    svg.dataset.test = String(p.test.length);
  }

  function drawHeat(frame) {
    const g = frame.grid;
    if (!g) { clip.hidden = true; svg.dataset.heat = ""; return; }
    const n = g.n;
    if (heatCanvas.width !== n) { heatCanvas.width = n; heatCanvas.height = n; }
    const img = hctx.createImageData(n, n);
    const outs = g.outputs, disc = frame.discretize;
    let colourAt;
    if (frame.kind === "regression") colourAt = (i) => diverging(outs[0][i] / (frame.span || 1), disc);
    else if (outs.length === 1) colourAt = (i) => diverging(toUnit(outs[0][i], frame.outLo), disc);
    else colourAt = (i) => {
      const k = g.classes[i];
      const v = outs[k][i];
      return classColour(k, frame.outLo === 0 ? v : (v + 1) / 2, disc);
    };
    fillImage(img, n, colourAt);
    hctx.putImageData(img, 0, 0);
    // cell centres are at the range's ends: in the clip box (the plot area, = the
    // grid's range), the canvas starts half a cell before it and is n/(n−1) as wide
    Object.assign(heatCanvas.style, { left: pct(-0.5, n - 1), top: pct(-0.5, n - 1),
                                      width: pct(n, n - 1), height: pct(n, n - 1) });
    clip.hidden = false;
    heatCanvas.style.imageRendering = disc ? "pixelated" : "auto";
    svg.dataset.heat = String(n);
  }

  function draw(frame) {
    const domain = domainOf(frame);
    const dkey = JSON.stringify(domain);
    const newDomain = dkey !== drawn.domain;
    if (newDomain) {
      drawn.domain = dkey;
      sx = sx.copy().domain(domain[0]);
      sy = sy.copy().domain(domain[1]);
      gx.call(d3.axisBottom(sx).ticks(6));
      gy.call(d3.axisLeft(sy).ticks(6));
      // what the axes show, for whoever maps a data point to the screen (tests, automation)
      svg.dataset.domain = JSON.stringify(domain);
      svg.dataset.area = [M.left, M.top, W - M.right, H - M.bottom].join(",");
    }
    const names = (frame.names || ["x1", "x2"]).join("|");
    if (names !== drawn.names) {
      drawn.names = names;
      xName.text(frame.names ? frame.names[0] : "x1");
      yName.text(frame.names ? frame.names[1] : "x2");
    }
    const colours = [frame.kind, frame.classCount, frame.span].join("|");
    if (newDomain || frame.points !== drawn.points || colours !== drawn.colours) {
      drawn.points = frame.points;
      drawn.colours = colours;
      drawPoints(frame);
    }
    if (newDomain || frame.grid !== drawn.grid || frame.discretize !== drawn.discretize) {
      drawn.grid = frame.grid;
      drawn.discretize = frame.discretize;
      drawHeat(frame);
    }
    if (frame.highlight) {
      ring.attr("display", null).attr("cx", sx(frame.highlight[0])).attr("cy", sy(frame.highlight[1]))
        .attr("data-index", frame.highlightIndex ?? "");
    } else ring.attr("display", "none").attr("data-index", null);
    ring.raise();
  }

  /** Data coordinates of a pointer event, or null outside the plot area. */
  function toData(ev) {
    const m = svg.getScreenCTM();
    if (!m) return null;
    const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
    if (pt.x < M.left || pt.x > W - M.right || pt.y < M.top || pt.y > H - M.bottom) return null;
    return [sx.invert(pt.x), sy.invert(pt.y)];
  }

  /** The drawn point nearest a pointer event within `tol` view units: {set, index} or null. */
  function nearest(ev, tol = 10) {
    const m = svg.getScreenCTM();
    if (!m || !drawn.points) return null;
    const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(m.inverse());
    let best = null, bestD = tol;
    for (const set of ["train", "test"]) {
      drawn.points[set].forEach((q, index) => {
        const d = Math.hypot(sx(q[0]) - pt.x, sy(q[1]) - pt.y);
        if (d < bestD) { bestD = d; best = { set, index }; }
      });
    }
    return best;
  }

  /** Screen position of data point (x, y) (for tests that click the plot). */
  function toClient(x, y) {
    const m = svg.getScreenCTM();
    const p = new DOMPoint(sx(x), sy(y)).matrixTransform(m);
    return [p.x, p.y];
  }

  return { draw, toData, nearest, toClient, get domain() { return [sx.domain(), sy.domain()]; } };
}
