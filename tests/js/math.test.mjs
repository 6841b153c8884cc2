// js/math.js: how the page writes numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { num, fixed } = await site("math.js");

test("num shows four decimals with a real minus sign", () => {
  assert.equal(num(0.5), "0.5000");
  assert.equal(num(-1.23456), "−1.2346");
  assert.equal(num(0), "0.0000");
});

test("num shows tiny numbers with three significant digits, in powers of ten below 10⁻⁶", () => {
  assert.equal(num(0.000313), "0.000313");
  assert.equal(num(-1.96e-7), "−1.96·10⁻⁷");
});

test("a missing or infinite number reads as a dash", () => {
  for (const x of [null, undefined, NaN, Infinity, -Infinity]) {
    assert.equal(num(x), "–");
    assert.equal(fixed(x), "–");
  }
});

test("fixed keeps d decimals, and a value too small for them reads in powers of ten, never −0.000", () => {
  assert.equal(fixed(1.23456), "1.235");
  assert.equal(fixed(-0.5, 2), "−0.50");
  assert.equal(fixed(0.000313), "3.1·10⁻⁴");
  assert.equal(fixed(-0), "0.000");
  assert.equal(fixed(0), "0.000");
});
