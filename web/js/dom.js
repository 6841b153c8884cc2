// Small DOM helpers shared by the views.

/** Set an element's text only when it differs: writing the same text still
 * replaces the text node, which makes the browser lay out and paint again
 * (many times a second while training plays). */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
