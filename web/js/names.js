// Node names shared by the network view and the explain panel: x₁… (or h₁… for
// the chapter's network, whose inputs are hidden outputs), o₁… for outputs, and
// h₁… for a single hidden layer. With several hidden layers "h1" would name a
// node of each, so the layer goes up front as a superscript: ¹h₂ is node 2 of
// hidden layer 1.

const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const sup = (n) => String(n).replace(/\d/g, (d) => SUP[d]);

/** The name of node j (0-based) of node layer l in a network with L weight layers. */
export function nodeName(l, L, j, inputName = "x") {
  if (l === 0) return `${inputName}${j + 1}`;
  if (l === L) return `o${j + 1}`;
  return L > 2 ? `${sup(l)}h${j + 1}` : `h${j + 1}`;
}
