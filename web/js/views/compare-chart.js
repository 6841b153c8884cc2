// The loss curves of the course's rule and the exact gradient, trained from the
// same start by pynet (facade op "compare"): a pure function of the result.
import d3 from "../d3.js";

const W = 640, H = 220, M = { l: 56, r: 110, t: 12, b: 34 };

export function drawCompare(svgElement, result) {
  const svg = d3.select(svgElement).attr("viewBox", `0 0 ${W} ${H}`);
  svg.selectAll("*").remove();
  if (!result) return;
  const series = [
    { key: "course", label: "course rule", values: [result.start_loss, ...result.course] },
    { key: "gradient", label: "exact gradient", values: [result.start_loss, ...result.gradient] },
  ];
  const all = series.flatMap((s) => s.values).filter((v) => v != null);
  const x = d3.scaleLinear().domain([0, result.epochs]).range([M.l, W - M.r]);
  const y = d3.scaleLinear().domain([0, d3.max(all) * 1.05 || 1]).nice().range([H - M.b, M.t]);
  svg.append("g").attr("transform", `translate(0,${H - M.b})`).call(d3.axisBottom(x).ticks(6));
  svg.append("g").attr("transform", `translate(${M.l},0)`).call(d3.axisLeft(y).ticks(4));
  svg.append("text").attr("x", (M.l + W - M.r) / 2).attr("y", H - 4).attr("text-anchor", "middle").text("epoch");
  svg.append("text").attr("transform", `translate(14,${(H - M.b) / 2}) rotate(-90)`).attr("text-anchor", "middle").text("training loss");
  const line = d3.line().defined((v) => v != null).x((_, i) => x(i)).y((v) => y(v));
  for (const s of series) {
    svg.append("path").attr("class", `curve ${s.key}`).attr("d", line(s.values))
      .attr("data-last", s.values[s.values.length - 1]);
    const last = s.values.length - 1;
    if (s.values[last] != null) {
      svg.append("text").attr("class", `label ${s.key}`).attr("x", x(last) + 6).attr("y", y(s.values[last]))
        .attr("dy", s.key === "course" ? -4 : 12).text(s.label);
    }
  }
}
