// The first-visit explanation of colours and widths: a dismissible panel,
// remembered in localStorage ("pynet.intro" = "seen"). Not shown in embed mode
// nor when the hash says intro=false.
const KEY = "pynet.intro";

function seen() {
  try { return localStorage.getItem(KEY) === "seen"; } catch { return false; } // storage may be blocked
}

export function bindIntro(doc, store) {
  const panel = doc.getElementById("intro");
  if (!panel) return;
  let dismissed = seen();
  const render = (s) => { panel.hidden = dismissed || Boolean(s.page.embed) || s.page.intro === false; };
  doc.getElementById("intro-close").addEventListener("click", () => {
    dismissed = true;
    try { localStorage.setItem(KEY, "seen"); } catch { /* remembered for this visit only */ }
    render(store.get());
  });
  store.subscribe(render);
}
