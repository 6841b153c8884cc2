// The confusion matrix (pynet's op "confusion": cm[actual][predicted]) as an HTML
// table; cells shaded by their share of the row. Counts come from Python.

/** Render `result` ({test, train, classes}) into `root`; `which` picks the set. */
export function renderConfusion(root, result, which = "test") {
  const doc = root.ownerDocument;
  root.replaceChildren();
  if (!result) return;
  const cm = result[which];
  const names = result.classes.map(String);
  const table = doc.createElement("table");
  table.className = "confusion";
  const caption = doc.createElement("caption");
  caption.textContent = `${which === "test" ? "Test" : "Training"} set: rows the actual class, columns the predicted`;
  table.append(caption);
  const head = table.createTHead().insertRow();
  const corner = doc.createElement("th");
  corner.textContent = "actual \\ predicted";
  head.append(corner);
  for (const n of names) { const th = doc.createElement("th"); th.scope = "col"; th.textContent = n; head.append(th); }
  const body = table.createTBody();
  cm.forEach((row, a) => {
    const tr = body.insertRow();
    const th = doc.createElement("th");
    th.scope = "row";
    th.textContent = names[a];
    tr.append(th);
    const total = row.reduce((s, v) => s + v, 0) || 1;
    row.forEach((count, p) => {
      const td = tr.insertCell();
      td.textContent = String(count);
      td.className = a === p ? "hit" : count ? "miss" : "";
      // shade: the share of the row (display only; the counts are Python's)
      td.style.setProperty("--share", (count / total).toFixed(3));
    });
  });
  root.append(table);
}
