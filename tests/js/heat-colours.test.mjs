// js/views/heat-colours.js: the heatmaps' colour scales.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { diverging, classColour, pointColour, toUnit, fillImage, CLASS_RGB } = await site("views/heat-colours.js");

test("the diverging scale is symmetric around a neutral middle, clamped past ±1", () => {
  const mid = diverging(0);
  assert.deepEqual(diverging(5), diverging(1));
  assert.deepEqual(diverging(-5), diverging(-1));
  assert.notDeepEqual(diverging(1), diverging(-1));
  // the middle is a grey-ish neutral: far from both ends
  const dist = (a, b) => Math.hypot(...a.map((v, i) => v - b[i]));
  assert.ok(Math.abs(dist(mid, diverging(1)) - dist(mid, diverging(-1))) < 60);
});

test("a missing or NaN value is grey, and discrete snaps to the sign's end colour", () => {
  assert.deepEqual(diverging(null), diverging(NaN));
  assert.deepEqual(diverging(0.2, true), diverging(1));
  assert.deepEqual(diverging(-0.2, true), diverging(-1));
});

test("a class at full confidence is its class colour; classes wrap after ten", () => {
  assert.deepEqual(classColour(2, 1), CLASS_RGB[2]);
  assert.deepEqual(classColour(12, 1), classColour(2, 1));
  assert.deepEqual(classColour(3, 0.1, true), CLASS_RGB[3]);
  assert.deepEqual(classColour(0, null), diverging(null));
});

test("two classes are drawn with the diverging scale's ends; more use the class colours", () => {
  const css = (c) => `rgb(${c[0]},${c[1]},${c[2]})`;
  assert.equal(pointColour(0, 2), css(diverging(-1)));
  assert.equal(pointColour(1, 2), css(diverging(1)));
  assert.equal(pointColour(4, 5), css(CLASS_RGB[4]));
});

test("toUnit maps a sigmoid output's [0, 1] and a tanh output's ±span onto [-1, 1]", () => {
  assert.equal(toUnit(0, 0), -1);
  assert.equal(toUnit(1, 0), 1);
  assert.equal(toUnit(0.5, 0), 0);
  assert.equal(toUnit(-3, -1, 3), -1);
  assert.equal(toUnit(null), null);
});

test("fillImage draws grid row 0 at the bottom, opaque", () => {
  const n = 2;
  const img = { data: new Uint8ClampedArray(4 * n * n) };
  fillImage(img, n, (i) => [i, 10 * i, 100]);
  const pixel = (row, col) => [...img.data.slice(4 * (row * n + col), 4 * (row * n + col) + 4)];
  assert.deepEqual(pixel(1, 0), [0, 0, 100, 255]);  // grid index 0: bottom-left
  assert.deepEqual(pixel(0, 1), [3, 30, 100, 255]); // grid index 3: top-right
});
