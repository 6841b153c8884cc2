// The loss chart: train and test loss per epoch, as pynet reported them, on a
// linear or log y scale (d3 scales). A function of the series it is given; it
// keeps what it drew last for tests (lastDrawn).
//
// Drawn while training plays, several times a second: the axes, labels, legend
// and the two curves are built once per chart element and then only updated
// (d3's axis joins its ticks; the curves get a new `d`), so a redraw does not
// rebuild the chart's DOM (which cost the main thread layout and paint).
import d3 from "../d3.js";

// a narrow box: the chart sits in the workbench's side column (about 250–400 px wide), where its
// 11 px text must stay readable
const W = 340, H = 200, M = { l: 50, r: 10, t: 12, b: 34 };
export let lastDrawn = null;
const built = new WeakMap(); // chart element -> its parts

function skeleton(svgElement) {
  const svg = d3.select(svgElement).attr("viewBox", `0 0 ${W} ${H}`);
  svg.selectAll("*").remove();
  const parts = {
    xAxis: svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${H - M.b})`),
    yAxis: svg.append("g").attr("class", "axis y").attr("transform", `translate(${M.l},0)`),
    yLabel: null, curves: {}, log: null,
  };
  svg.append("text").attr("x", (M.l + W - M.r) / 2).attr("y", H - 4).attr("text-anchor", "middle").text("epoch");
  parts.yLabel = svg.append("text").attr("transform", `translate(14,${(H - M.b) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle");
  for (const key of ["train", "test"]) parts.curves[key] = svg.append("path").attr("class", `curve ${key}`);
  const legend = svg.append("g").attr("class", "legend").attr("transform", `translate(${W - M.r - 150},${M.t + 4})`);
  [["train", "training loss"], ["test", "test loss"]].forEach(([key, label], i) => {
    legend.append("line").attr("class", `curve ${key}`).attr("x1", 0).attr("x2", 18).attr("y1", i * 14).attr("y2", i * 14);
    legend.append("text").attr("x", 22).attr("y", i * 14 + 4).text(label);
  });
  built.set(svgElement, parts);
  return parts;
}

/** series: {epoch: number[], train: (number|null)[], test: (number|null)[]}. */
export function drawLossChart(svgElement, series, { log = false } = {}) {
  const parts = built.get(svgElement) || skeleton(svgElement);
  const n = series.epoch.length;
  // a log scale shows only positive losses (a loss of exactly 0 has no place on it)
  const ok = (v) => v != null && Number.isFinite(v) && (!log || v > 0);
  const all = [...series.train, ...series.test].filter(ok);
  const x = d3.scaleLinear().domain([series.epoch[0] ?? 0, Math.max(1, series.epoch[n - 1] ?? 1)]).range([M.l, W - M.r]);
  const y = log
    ? d3.scaleLog().domain(all.length ? [d3.min(all), d3.max(all)] : [1e-3, 1]).nice().range([H - M.b, M.t])
    : d3.scaleLinear().domain([0, (d3.max(all) || 1) * 1.05]).nice().range([H - M.b, M.t]);
  svgElement.dataset.scale = log ? "log" : "linear";
  svgElement.dataset.points = String(n);
  // epochs are whole numbers: no more ticks than epochs in view (else "0 0 0 1 1 1")
  const [e0, e1] = x.domain();
  parts.xAxis.call(d3.axisBottom(x).ticks(Math.max(1, Math.min(6, e1 - e0)), "d"));
  parts.yAxis.call(log ? d3.axisLeft(y).ticks(4, "~g") : d3.axisLeft(y).ticks(4));
  if (parts.log !== log) {
    parts.log = log;
    parts.yLabel.text(log ? "loss (log scale)" : "loss");
  }
  for (const key of ["train", "test"]) {
    const line = d3.line().defined((i) => ok(series[key][i])).x((i) => x(series.epoch[i])).y((i) => y(series[key][i]));
    parts.curves[key].attr("d", line(d3.range(n)) || "");
  }
  lastDrawn = { scale: log ? "log" : "linear", domain: y.domain(), points: n,
                yTicks: y.ticks(4).map(Number) };
  return lastDrawn;
}
