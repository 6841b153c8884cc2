// The network diagram: a pure function of (layer sizes, weights or null).
// Drawn from the settings alone before Python is ready, then coloured by the weights.
import d3 from "../d3.js";

const W = 640, H = 360, R = 14;

export function drawNetwork(svgElement, layers, weights) {
  const svg = d3.select(svgElement);
  const x = d3.scalePoint().domain(d3.range(layers.length)).range([60, W - 60]);
  const nodes = layers.flatMap((n, l) => {
    const y = d3.scalePoint().domain(d3.range(n)).range([R + 20, H - R - 20]).padding(0.5);
    return d3.range(n).map((k) => ({ id: `${l}-${k}`, l, k, x: x(l), y: n === 1 ? H / 2 : y(k) }));
  });
  const at = new Map(nodes.map((d) => [d.id, d]));
  const links = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    for (let k = 0; k < layers[l + 1]; k++) {
      for (let j = 0; j < layers[l]; j++) {
        const w = weights ? weights[l][k][j] : null;
        links.push({ id: `${l}-${j}-${k}`, a: at.get(`${l}-${j}`), b: at.get(`${l + 1}-${k}`), w });
      }
    }
  }
  const maxAbs = d3.max(links, (d) => Math.abs(d.w ?? 0)) || 1;
  const width = d3.scaleLinear().domain([0, maxAbs]).range([0.5, 6]);
  const color = (w) => (w == null ? "#ccc" : w >= 0 ? "var(--pos)" : "var(--neg)");

  svg.selectAll("g.links").data([0]).join("g").attr("class", "links")
    .selectAll("line.link").data(links, (d) => d.id)
    .join("line")
    .attr("class", "link")
    .attr("x1", (d) => d.a.x).attr("y1", (d) => d.a.y)
    .attr("x2", (d) => d.b.x).attr("y2", (d) => d.b.y)
    .attr("stroke", (d) => color(d.w))
    .attr("stroke-width", (d) => (d.w == null ? 1 : width(Math.abs(d.w))))
    .attr("data-weight", (d) => (d.w == null ? null : d.w));

  const g = svg.selectAll("g.nodes").data([0]).join("g").attr("class", "nodes")
    .selectAll("g.node").data(nodes, (d) => d.id)
    .join((enter) => {
      const e = enter.append("g").attr("class", "node");
      e.append("circle").attr("r", R);
      e.append("text").attr("dy", R + 13);
      return e;
    })
    .attr("transform", (d) => `translate(${d.x},${d.y})`);
  g.select("text").text((d) => (d.l === 0 ? `x${d.k + 1}` : d.l === layers.length - 1 ? "out" : ""));
}
