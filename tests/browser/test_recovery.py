"""Faults and divergence (issue 9): a worker that crashes mid-training is
replaced and the page's own copy (settings, own data with its train/test
split, last weights) restored;
a diverging run pauses before any NaN is drawn, says why, and recovers in one
click; state() afterwards is consistent."""

from __future__ import annotations

import json
import math

import pytest
from playwright.sync_api import expect
from test_data import sets

pytestmark = pytest.mark.browser

CSV = "a,b,label\n" + "\n".join(f"{i / 10},{(i * 7 % 10) / 10},{'yes' if i % 3 else 'no'}"
                                for i in range(40))
WATCH_NAN = """() => { window.sawNonFinite = 0; const look = () => {
  const v = window.pynet.view();
  if (v) for (const e of v.edges) if (e.weight !== null && !Number.isFinite(e.weight)) window.sawNonFinite++;
  for (const id of ['train-loss', 'test-loss']) if (/nan|inf/i.test(document.getElementById(id).textContent)) window.sawNonFinite++;
  requestAnimationFrame(look); }; look(); }"""


def test_a_worker_crash_mid_training_restores_settings_own_data_and_weights(app, console_errors):
    app.open("#dataset=xor&learning_rate=0.1&seed=3")
    app.ready()
    page = app.page
    app.call(f"window.pynet._request({{op: 'load_csv', text: {json.dumps(CSV)}, settings: {{hidden: [3]}}}})")
    app.call("window.pynet.step(2)")
    page.wait_for_function("(() => { const c = window.pynet._recoveryCopies().settled;"
                           " return c && c.epoch === 2 && c.data !== null; })()")
    before = app.call("window.pynet.state()")
    data = app.call("window.pynet._request({op: 'export_data'})")["csv"]
    app.call("window.pynet.play()")
    # a copy taken while playing, past the paused one
    page.wait_for_function("window.pynet._recoveryCopies().latest.epoch > 2", timeout=90_000)
    copy = app.call("(() => { window.pynet._crashWorker(); return window.pynet._recoveryCopies().latest; })()")
    notice = page.locator("#notice")
    expect(notice).to_contain_text("The Python worker crashed")
    page.wait_for_function("window.pynet.phase === 'ready' && document.querySelector('#notice').textContent.includes('restored')")
    expect(notice).to_contain_text("your data")
    expect(notice).to_contain_text(f"the weights of epoch {copy['epoch']}")
    after = app.call("window.pynet.state()")
    model = json.loads(copy["model"])
    assert after["settings"] == before["settings"] == copy["settings"]
    assert after["settings"]["dataset"] == "custom" and after["layers"] == [2, 3, 1]
    assert after["epoch"] == copy["epoch"] > 2
    assert after["weights"] == model["weights"] and after["biases"] == model["biases"]
    assert app.call("window.pynet._request({op: 'export_data'})")["csv"] == data
    expect(page.locator("#epoch")).to_have_text(str(copy["epoch"]))
    expect(page.locator("#play")).to_be_enabled()
    assert app.call("window.pynet.step(1)")["epoch"] == copy["epoch"] + 1
    # the only error the console saw is the crash itself
    assert all("crash" in e for e in console_errors), console_errors


def _consistent(app, st) -> None:
    """epoch, losses and weights belong together: the loss Python computes now
    from the live weights is the one state() reports (null only when that loss
    really is not a finite number: weights finite but too large to square)."""
    assert isinstance(st["epoch"], int)
    assert all(math.isfinite(w) for layer in st["weights"] for row in layer for w in row)
    r = app.call("window.pynet._request({op: 'run_python', code: 'net.loss(X, T)'})")
    loss = float(r["stdout"])
    if st["train_loss"] is None:
        assert not math.isfinite(loss)
    else:
        assert loss == pytest.approx(st["train_loss"], rel=1e-9)


def test_divergence_while_playing_pauses_before_any_nan_says_why_and_lowers_the_rate(app, console_errors):
    app.open("#dataset=plane&learning_rate=10&output_activation=linear")
    first = app.ready()
    page = app.page
    page.wait_for_function("window.pynet._recoveryCopies().settled !== null")
    page.evaluate(WATCH_NAN)
    app.call("window.pynet.play()")
    box = page.locator("#diverged")
    expect(box).to_be_visible()
    expect(box).to_contain_text("The learning rate 10 is too high for this problem")
    expect(page.locator("#diverged-detail")).to_contain_text("diverged")
    expect(page.locator("#play")).to_be_enabled()        # paused
    assert app.call("window.sawNonFinite") == 0
    st = app.call("window.pynet.state()")
    _consistent(app, st)
    expect(page.locator("#epoch")).to_have_text(str(st["epoch"]))
    expect(box).to_contain_text(f"back at epoch {st['epoch']}")
    page.click("#diverged-lower")
    expect(box).to_be_hidden()
    expect(page.locator("#notice")).to_contain_text("Learning rate lowered from 10 to 1")
    now = app.call("window.pynet.state()")
    assert now["settings"]["learning_rate"] == 1
    assert now["epoch"] == 0 and now["weights"] == first["weights"]    # the last good (settled) weights
    assert "learning_rate=1&" in page.url
    assert app.call("window.sawNonFinite") == 0
    assert console_errors == []


def test_divergence_in_a_step_request_is_rolled_back_explained_and_restored(app):
    app.open("#dataset=plane&learning_rate=10&output_activation=linear")
    app.ready()
    page = app.page
    app.call("window.pynet.setState({learning_rate: 0.01})")
    app.call("window.pynet.step(2)")
    page.wait_for_function("(() => { const c = window.pynet._recoveryCopies().settled; return c && c.epoch === 2; })()")
    good = app.call("window.pynet.state()")
    app.call("window.pynet.setState({learning_rate: 10})")
    err = app.call("window.pynet.step(20).then(() => null, (e) => e.message)")
    assert err and "diverged" in err and "learning_rate 10" in err
    box = page.locator("#diverged")
    expect(box).to_be_visible()
    st = app.call("window.pynet.state()")
    _consistent(app, st)
    page.click("#diverged-restore")
    expect(box).to_be_hidden()
    expect(page.locator("#notice")).to_contain_text("Restored the weights of epoch 2")
    now = app.call("window.pynet.state()")
    assert now["epoch"] == 2 and now["weights"] == good["weights"]
    # the copy's settings: taken before or after the change to 10 (the step may overtake the copy)
    assert now["settings"] in (good["settings"], good["settings"] | {"learning_rate": 10})


def test_a_runtime_file_missing_when_the_worker_restarts_is_shown_and_retry_restores(app, site):
    """The worker crashes, and its replacement cannot load a runtime file (404):
    the error names the file; Retry (file back) boots again and restores the copy."""
    app.open("#dataset=xor&learning_rate=0.1&hidden=3&seed=5")
    app.ready()
    page = app.page
    app.call("window.pynet.step(4)")
    page.wait_for_function("(() => { const c = window.pynet._recoveryCopies().settled; return c && c.epoch === 4; })()")
    before = app.call("window.pynet.state()")
    site.server.blocked.add("pyodide/pyodide.asm.wasm")
    app.call("window.pynet._crashWorker()")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("pyodide.asm.wasm")
    expect(error).to_contain_text("404")
    site.server.blocked.clear()
    page.click("#retry")
    page.wait_for_function("window.pynet.phase === 'ready' && document.querySelector('#notice').textContent.includes('restored')")
    after = app.call("window.pynet.state()")
    assert after["epoch"] == 4 and after["weights"] == before["weights"] and after["settings"] == before["settings"]


def test_a_worker_crash_restores_own_data_with_its_split(app, page):
    app.open("#dataset=circle&samples=40&seed=5")
    app.ready()
    app.call("window.pynet.addPoint(2, 3, 1)")
    app.call("window.pynet.addPoint(-4, 1, 0)")
    train, test = sets(app)
    page.wait_for_function("(() => { const c = window.pynet._recoveryCopies().settled;"  # noqa: UP031
                           " return c && c.data !== null && c.split !== null && c.split.train.length === %d; })()"
                           % len(train))
    app.call("window.pynet._crashWorker()")
    page.wait_for_function("window.pynet.phase === 'ready' && document.querySelector('#notice').textContent.includes('restored')")
    expect(page.locator("#notice")).to_contain_text("your data")
    assert sets(app) == (train, test)
