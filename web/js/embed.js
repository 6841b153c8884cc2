// Embed mode (`#embed=network,heatmap`): only the named views, sized to the
// frame, no header or footer. Views whose section is not on this page are
// skipped. The status line (loading, errors) always stays.
import { EMBED_VIEWS } from "./settings.js";

/** Show only the views in `list` ("network,loss", "" = the whole page). */
export function applyEmbed(doc, list) {
  const body = doc.body;
  for (const e of doc.querySelectorAll(".embed-show, .embed-path")) e.classList.remove("embed-show", "embed-path");
  const names = list ? list.split(",") : [];
  body.classList.toggle("embed", names.length > 0);
  if (!names.length) return [];
  const shown = [];
  for (const id of [...names.map((n) => EMBED_VIEWS[n]), "status"]) {
    const el = id && doc.getElementById(id);
    if (!el) continue; // e.g. a view another part of the page has not built yet
    el.classList.add("embed-show");
    shown.push(id);
    for (let p = el.parentElement; p && p !== body; p = p.parentElement) p.classList.add("embed-path");
  }
  return shown;
}

export function bindEmbed(doc, store) {
  let now = null;
  store.subscribe((s) => {
    if (s.page.embed === now) return;
    now = s.page.embed;
    applyEmbed(doc, now);
  });
}
