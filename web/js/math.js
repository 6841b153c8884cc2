// A tiny MathML Core builder (native in Chromium ≥ 109, Firefox, Safari):
// formulas as DOM, numbers as <mn> text. No typesetting of our own.

const NS = "http://www.w3.org/1998/Math/MathML";

/** An element `tag` with children (strings become text nodes). */
export function el(tag, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const c of children.flat()) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

const SUPERSCRIPT = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** A number as the page shows it: 4 decimals, or 3 significant digits when tiny
 * (below 10⁻⁶ in powers of ten: "−1.96·10⁻⁷"). */
export function num(x) {
  if (x == null || !Number.isFinite(x)) return "–";
  const a = Math.abs(x);
  const s = a !== 0 && a < 1e-3 ? x.toPrecision(3) : x.toFixed(4);
  return powerOfTen(s).replace("-", "−");
}

/** "−1.96e-7" (JavaScript's exponent notation) as "−1.96·10⁻⁷"; other text unchanged. */
function powerOfTen(s) {
  const at = s.indexOf("e");
  if (at < 0) return s;
  const exponent = s.slice(at + 1).replace("+", "");
  return `${s.slice(0, at).replace("-", "−")}·10${[...exponent].map((c) => SUPERSCRIPT[c]).join("")}`;
}

/** x with d decimals for the network's labels; a value too small for them reads
 * in powers of ten (an output error of 0.000313 is "3.1·10⁻⁴", not "0.000"),
 * so 0.000 means zero and no label reads "−0.000". */
export function fixed(x, d = 3) {
  if (x == null || !Number.isFinite(x)) return "–";
  if (x !== 0 && Math.abs(x) < 0.5 * 10 ** -d) {
    return powerOfTen(x.toExponential(1));
  }
  return x.toFixed(d).replace("-", "−"); // x is 0 (or −0: toFixed drops its sign) or shows a digit
}

export const mi = (s) => el("mi", s);
export const mn = (x) => el("mn", typeof x === "string" ? x : num(x));
export const mo = (s) => el("mo", s);
export const row = (...c) => el("mrow", ...c);
export const sub = (a, b) => el("msub", typeof a === "string" ? mi(a) : a, typeof b === "string" ? mn(b) : b);
export const frac = (a, b) => el("mfrac", row(a), row(b));
/** Parenthesise negative numbers so "−0.03 · −0.2" reads unambiguously. */
export const val = (x) => (x != null && x < 0 ? row(mo("("), mn(x), mo(")")) : mn(x));

/** Marks where a long formula may continue on a second line (before its numbers). */
export const BR = Object.freeze({ br: true });

/** A block formula with an accessible text alternative; at BR it continues on
 * a second line (MathML Core does not break lines itself). */
export function math(label, ...children) {
  const at = children.indexOf(BR);
  if (at >= 0) {
    const div = document.createElement("div");
    div.className = "formula";
    div.append(math(label, ...children.slice(0, at)), math(null, ...children.slice(at + 1)));
    return div;
  }
  const m = el("math", row(...children));
  m.setAttribute("display", "block");
  if (label) m.setAttribute("aria-label", label);
  return m;
}
