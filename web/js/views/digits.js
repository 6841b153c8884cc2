// Digits: a grid of sample test images (8×8 pixels as the network sees them,
// 0–1), each captioned with its true and predicted class, misclassified ones
// marked. A function of the frame it is given; no network math (the
// predictions are Python's).

/** frame: {images: [[64 values]], actual: [class index], predicted: [class index] | null,
 *  classes: [names]}. */
export function drawDigits(container, frame) {
  const { images, actual, predicted, classes } = frame;
  if (container.childElementCount !== images.length || container.dataset.key !== frame.key) {
    container.replaceChildren();
    container.dataset.key = frame.key;
    images.forEach((px) => {
      const fig = document.createElement("figure");
      fig.className = "digit";
      const c = document.createElement("canvas");
      c.width = 8; c.height = 8;
      const ctx = c.getContext("2d");
      const img = ctx.createImageData(8, 8);
      px.forEach((v, i) => {
        const g = Math.round(255 * (1 - Math.max(0, Math.min(1, v)))); // ink dark on white
        img.data.set([g, g, g, 255], 4 * i);
      });
      ctx.putImageData(img, 0, 0);
      fig.append(c, document.createElement("figcaption"));
      container.append(fig);
    });
  }
  let wrong = 0;
  [...container.children].forEach((fig, i) => {
    const p = predicted ? predicted[i] : null;
    const bad = p != null && p !== actual[i];
    if (bad) wrong++;
    fig.classList.toggle("wrong", bad);
    fig.dataset.actual = classes[actual[i]];
    fig.dataset.predicted = p == null ? "" : classes[p];
    const label = `${classes[actual[i]]}${p == null ? "" : ` → ${classes[p]}`}`;
    fig.querySelector("figcaption").textContent = label;
    fig.setAttribute("aria-label", `digit ${classes[actual[i]]}${p == null ? "" : `, predicted ${classes[p]}${bad ? " (wrong)" : ""}`}`);
  });
  container.dataset.wrong = String(wrong);
}
