"""The URL-state parser (web/js/settings.js) fed random hashes in the page, with
a fixed seed and a bounded count (issue 9): every key=value is either applied
(the parsed value is in the settings) or named in the errors; never an
exception, and nothing of it becomes HTML. Then a few of them as live hash
changes on the page: a notice of text only, and the page keeps working."""

from __future__ import annotations

import json
import random
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

SEED = 20261129
KEYS = ["dataset", "noise", "train_ratio", "hidden", "activation", "learning_rate", "batch_size", "samples",
        "seed", "output_activation", "loss", "l1", "l2", "bias", "init", "update", "target_loss", "max_epoch",
        "shares", "speed", "granularity", "preset", "colour", "", "<b>", "__proto__", "constructor"]
ATOMS = ["0", "1", "-1", "0.5", "1e308", "1e-400", "NaN", "Infinity", "-0", "8,8", "4,2", "1000000000",
         "true", "false", "tanh", "relu,tanh", "xor", "circle", "<script>alert(1)</script>",
         "<img src=x onerror=window.pwned=1>", "javascript:window.pwned=2", "%", "&", "=", "\u0000", "é",
         "💥", " ", ",", ",,", "0x10", "1_000", "2.5", "64", "9" * 400]


def random_hash(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(KEYS)
        value = "".join(rng.choice(ATOMS) for _ in range(rng.randint(0, 2)))
        parts.append(f"{quote(key)}={quote(value)}")
    return "#" + "&".join(parts)


CHECK = """async (hashes) => {
  const m = await import('./js/settings.js');
  const out = [];
  for (const h of hashes) {
    let r;
    try { r = m.parseHash(h); } catch (e) { out.push({ hash: h, exception: String(e) }); continue; }
    const problems = [];
    // the last value of each key wins (URLSearchParams order), as parseHash reads them
    const last = new Map(new URLSearchParams(h.slice(1)));
    for (const [key, value] of last) {
      const py = Object.hasOwn(m.DEFAULTS, key);
      const known = py || Object.hasOwn(m.PAGE_DEFAULTS, key);
      const named = r.errors.some((e) => e.startsWith(`${key}: `) || e.includes(`"${m.show(key)}"`));
      if (!known) { if (!named) problems.push(`unknown ${key} not named`); continue; }
      const check = py ? m.checkSettings({ [key]: value }) : m.checkPage({ [key]: value });
      const parsed = py ? check.settings[key] : check.page[key];
      const got = py ? r.settings[key] : r.page[key];
      if (check.errors.length) { if (!named) problems.push(`bad ${key}=${value} not named`); }
      else if (JSON.stringify(got) !== JSON.stringify(parsed)) problems.push(`${key} not applied`);
    }
    for (const k of Object.keys(m.DEFAULTS)) if (!(k in r.settings)) problems.push(`setting ${k} missing`);
    if (problems.length) out.push({ hash: h, problems });
  }
  return out;
}"""


def test_random_hashes_are_applied_or_named_key_by_key(app):
    rng = random.Random(SEED)
    hashes = [random_hash(rng) for _ in range(400)]
    app.open()
    app.ready()
    assert app.page.evaluate(CHECK, hashes) == []


def test_random_hashes_on_the_live_page_give_text_notices_and_a_working_page(app, console_errors):
    rng = random.Random(SEED + 1)
    app.open()
    app.ready()
    page = app.page
    for i in range(12):
        h = random_hash(rng)
        page.evaluate("(h) => { location.hash = h; }", h)
        page.wait_for_timeout(150)
        page.wait_for_function("window.pynet.phase === 'ready'")
        assert page.evaluate("document.querySelectorAll('#notice *, #status script').length") == 0, h
    page.evaluate("location.hash = '#dataset=xor'")
    page.wait_for_function("window.pynet.state().then((s) => s.settings.dataset === 'xor')")
    assert page.evaluate("window.pynet.step(1)")["ok"] is not False
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("img, script:not([src]):not([type])").count() <= 1   # index.html's own inline script
    assert [e for e in console_errors if "uncaught" in e] == [], console_errors
    json.dumps(console_errors)
