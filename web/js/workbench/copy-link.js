// "Copy link" (#copy-link): the page's address, whose hash carries every setting, onto
// the clipboard, with a visible confirmation, or a plain way out when the browser
// refuses the clipboard (no permission, an insecure origin, a frame without the policy).

const SHOWN_MS = 2500; // how long "Copied" stays before the status clears

/** Wire the button in `doc`; `href()` gives the link (location.href). Returns {copy}. */
export function bindCopyLink(doc, { href = () => doc.defaultView.location.href } = {}) {
  const button = doc.getElementById("copy-link");
  const status = doc.getElementById("copy-link-status");
  if (!button || !status) return null;
  let timer = null;
  const say = (text, good) => {
    status.textContent = text;
    status.className = good ? "good" : "bad";
    clearTimeout(timer);
    if (good) timer = setTimeout(() => { status.textContent = ""; status.className = ""; }, SHOWN_MS);
  };
  async function copy() {
    const link = href();
    const clip = doc.defaultView.navigator.clipboard;
    try {
      if (!clip || !clip.writeText) throw new Error("this browser offers no clipboard here");
      await clip.writeText(link);
      say("Copied", true);
      return true;
    } catch (e) {
      say(`Could not copy (the browser refused the clipboard: ${e && e.message ? e.message : e}). Copy the address bar instead.`, false);
      return false;
    }
  }
  button.addEventListener("click", () => { copy(); });
  return { copy };
}
