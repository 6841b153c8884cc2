// The shelf's buttons (#shelf-nav): bring a less-used panel into view and mark it.
// Buttons, not #links: the hash carries the settings (settings.js), and "#python"
// there would read as an unknown setting.

/** Wire the shelf's buttons in `doc`. */
export function bindShelf(doc) {
  const nav = doc.getElementById("shelf-nav");
  if (!nav) return;
  nav.addEventListener("click", (ev) => {
    const a = ev.target.closest("button[data-shelf]");
    if (!a) return;
    ev.preventDefault();
    const panel = doc.getElementById(a.dataset.shelf);
    if (!panel) return;
    for (const other of nav.querySelectorAll(".current")) { other.classList.remove("current"); other.removeAttribute("aria-current"); }
    a.classList.add("current");
    a.setAttribute("aria-current", "true");
    panel.scrollIntoView({ block: "start" });
    const first = panel.querySelector("button:not([disabled]), input:not([disabled]), select, textarea, summary");
    if (first) first.focus({ preventScroll: true });
  });
}
