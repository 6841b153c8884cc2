// js/settings.js through its exported API: the URL hash's parser and writer, and
// the checks of window.pynet.setState. The expected values come from build-info.js
// (pynet's table of settings), not from the parser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { parseHash, toHash, checkSettings, checkPage, DEFAULTS, PAGE_DEFAULTS } = await site("settings.js");
const { default: buildInfo } = await site("build-info.js");

test("an empty hash gives every default: Python's from pynet, the page's own", () => {
  const { settings, page, errors, given } = parseHash("");
  assert.deepEqual(settings, buildInfo.settings.defaults);
  assert.deepEqual(settings, { ...DEFAULTS });
  assert.deepEqual(page, { ...PAGE_DEFAULTS });
  assert.deepEqual(errors, []);
  assert.deepEqual(given, []);
});

test("a hash names some settings; the rest stay at their defaults", () => {
  const { settings, given, errors } = parseHash("#dataset=xor&hidden=5,3");
  assert.deepEqual(errors, []);
  assert.equal(settings.dataset, "xor");
  assert.deepEqual(settings.hidden, [5, 3]);
  assert.deepEqual(given.sort(), ["dataset", "hidden"]);
  for (const k of Object.keys(DEFAULTS)) if (!given.includes(k)) assert.deepEqual(settings[k], DEFAULTS[k]);
});

test("a bad value is reported by name and its default kept; a good one beside it applies", () => {
  const { settings, errors } = parseHash("#dataset=xor&noise=lots");
  assert.equal(settings.dataset, "xor");
  assert.equal(settings.noise, DEFAULTS.noise);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^noise: .*"lots"/);
});

test("unknown keys, even __proto__, are reported and change nothing", () => {
  const { settings, errors } = parseHash("#__proto__=1&nonsense=2");
  assert.deepEqual(settings, { ...DEFAULTS });
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => /unknown/.test(e)), errors.join("; "));
});

test("toHash writes every setting, and parsing it gives the same settings back", () => {
  const { settings } = parseHash("#dataset=xor&hidden=6,2&learning_rate=0.1");
  const hash = toHash(settings, { ...PAGE_DEFAULTS });
  for (const k of Object.keys(DEFAULTS)) assert.ok(new URLSearchParams(hash.slice(1)).has(k), k);
  const again = parseHash(hash);
  assert.deepEqual(again.settings, settings);
  assert.deepEqual(again.errors, []);
});

test("toHash writes only the page settings that differ from their defaults", () => {
  const key = Object.keys(PAGE_DEFAULTS).find((k) => k === "shares") ?? Object.keys(PAGE_DEFAULTS)[0];
  const base = toHash({ ...DEFAULTS }, { ...PAGE_DEFAULTS });
  assert.ok(!new URLSearchParams(base.slice(1)).has(key));
  const { page } = parseHash("#shares=gradient");
  const hash = toHash({ ...DEFAULTS }, page);
  assert.equal(new URLSearchParams(hash.slice(1)).get("shares"), "gradient");
  assert.equal(parseHash(hash).page.shares, "gradient");
});

test("checkSettings keeps the good values and names the bad ones", () => {
  const { settings, errors } = checkSettings({ learning_rate: 0.5, hidden: [3, 2], noise: "x", bogus: 1 });
  assert.equal(settings.learning_rate, 0.5);
  assert.deepEqual(settings.hidden, [3, 2]);
  assert.ok(!("noise" in settings) && !("bogus" in settings));
  assert.equal(errors.length, 2);
  assert.ok(errors.some((e) => e.startsWith("noise: ")) && errors.some((e) => e.includes("bogus")));
});

test("a negative learning rate is refused", () => {
  const { settings, errors } = checkSettings({ learning_rate: -1 });
  assert.ok(!("learning_rate" in settings));
  assert.match(errors[0], /^learning_rate: /);
});

test("checkPage refuses what is not a page setting", () => {
  assert.deepEqual(checkPage({ shares: "gradient" }).errors, []);
  assert.equal(checkPage({ shares: "gradient" }).page.shares, "gradient");
  assert.equal(checkPage({ dataset: "xor" }).errors.length, 1);
});

test("numbers are read in decimal only: hex, binary, octal and padded values are refused", () => {
  for (const raw of ["0x1", "0b1", "0o7", " 0.5", "0.5 ", "Infinity", "1_000"]) {
    const { settings, errors } = parseHash(`#learning_rate=${encodeURIComponent(raw)}`);
    assert.equal(settings.learning_rate, DEFAULTS.learning_rate, raw);
    assert.equal(errors.length, 1, raw);
    assert.match(errors[0], /^learning_rate: expected a number/, raw);
  }
  // the forms the page itself writes still read back: toHash writes tiny values with an exponent
  for (const raw of ["0.3", ".5", "1e-5", "2E-3", "0.030"]) {
    const { errors } = parseHash(`#learning_rate=${raw}`);
    assert.deepEqual(errors, [], raw);
  }
  const { settings } = parseHash("#l2=1e-7");
  assert.equal(settings.l2, 1e-7);
  assert.equal(parseHash(toHash(settings)).settings.l2, 1e-7);
});

test("an embed list names views, never the names every object has", () => {
  for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
    const { page, errors } = parseHash(`#embed=${name}`);
    assert.equal(page.embed, PAGE_DEFAULTS.embed, name);
    assert.equal(errors.length, 1, name);
    assert.match(errors[0], /^embed: expected a comma list of /, name);
  }
});
