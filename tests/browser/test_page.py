"""The built page in headless Chromium: loading, training, errors, the automation API."""

from __future__ import annotations

import hashlib
import json
import re
import threading

import pytest
from conftest import HANG_GUARD_MS, build
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WHEEL = next((p.name for p in (build.DIST / "pyodide").glob("pynet-*.whl")), "pynet-*.whl")


def test_page_becomes_ready_with_the_default_network(app, console_errors):
    app.open()
    first = app.ready()
    assert first["epoch"] == 0 and first["layers"] == [2, 4, 2, 1]
    assert app.call("window.pynet.phase") == "ready"
    expect(app.page.locator("#epoch")).to_have_text("0")
    expect(app.page.locator("#train-loss")).to_have_text(f"{first['train_loss']:.4f}")
    expect(app.page.locator("#play")).to_be_enabled()
    assert console_errors == []


def test_js_defaults_agree_with_the_python_facade(app):
    app.open()
    app.ready()
    js = app.call("import('./js/settings.js').then((m) => m.DEFAULTS)")
    py = app.call("window.pynet.state().then((s) => s.settings)")
    assert js == py


def test_layout_and_progress_show_while_python_loads_then_progress_goes(app, site):
    gate = threading.Event()
    site.server.hold["pyodide/python_stdlib.zip"] = gate  # keep Python from finishing
    app.open()
    page = app.page
    expect(page.locator("#loading")).to_be_visible()
    info = (build.DIST / "js" / "build-info.js").read_text().split("export default ", 1)[1]
    total_mb = f"{json.loads(info.rstrip().rstrip(';'))['total'] / 1e6:.1f}"  # with the snapshot
    expect(page.locator("#loading-text")).to_have_text(re.compile(rf"of {re.escape(total_mb)} MB"))
    # the 2-4-2-1 network is drawn from the settings before Python is ready
    assert page.locator("#network circle").count() == 9
    page.wait_for_function("window.pynet.view() && window.pynet.view().edges.length > 0")
    assert app.call("window.pynet.view().edges.length") == 2 * 4 + 4 * 2 + 2 * 1
    assert app.call("window.pynet.phase") == "loading"
    expect(page.locator("#play")).to_be_disabled()
    tops = "['controls', 'network'].map((id) => document.getElementById(id).getBoundingClientRect().top)"
    loading_tops = app.call(tops)
    gate.set()
    app.ready()
    expect(page.locator("#loading")).to_be_hidden()
    # the loading bar is out of the page's flow: nothing moves when it goes
    assert app.call(tops) == pytest.approx(loading_tops, abs=1)
    assert page.locator("#progress").evaluate("(p) => p.value") == pytest.approx(1.0, abs=0.02)


def test_training_lowers_the_loss_and_the_page_shows_it(app, console_errors):
    app.open()
    first = app.ready()
    after = app.call("window.pynet.step(30)")
    assert after["epoch"] == 30
    assert after["train_loss"] < 0.8 * first["train_loss"]
    expect(app.page.locator("#epoch")).to_have_text("30")
    expect(app.page.locator("#train-loss")).to_have_text(f"{after['train_loss']:.4f}")
    expect(app.page.locator("#test-loss")).to_have_text(f"{after['test_loss']:.4f}")
    state = app.call("window.pynet.state()")
    assert state["epoch"] == 30 and state["weights"] == after["weights"]
    app.page.wait_for_timeout(100)  # the next frame draws the new weights
    drawn = app.call("window.pynet.view().edges.map((e) => e.weight)")
    flat = [w for layer in state["weights"] for row in layer for w in row]
    assert sorted(drawn) == pytest.approx(sorted(flat))
    assert console_errors == []


def test_play_pause_and_step_buttons(app):
    app.open("#granularity=epoch")  # Step trains one epoch (the default is one sample)
    app.ready()
    page = app.page
    page.click("#step")
    expect(page.locator("#epoch")).to_have_text("1")
    page.click("#play")
    expect(page.locator("#epoch")).not_to_have_text(re.compile(r"^[01]$"))
    expect(page.locator("#step")).to_be_disabled()
    page.click("#pause")
    expect(page.locator("#play")).to_be_enabled()
    app.call("window.pynet.pause()")  # resolves once the epoch in flight is done
    stopped = page.locator("#epoch").text_content()
    page.wait_for_timeout(400)
    assert page.locator("#epoch").text_content() == stopped
    assert int(stopped) >= 2
    assert app.call("window.pynet.state()")["epoch"] == int(stopped)


def test_api_play_and_pause(app):
    app.open()
    app.ready()
    app.call("window.pynet.play()")
    app.page.wait_for_function("window.pynet.state().then((s) => s.epoch >= 3)")
    app.call("window.pynet.pause()")
    a = app.call("window.pynet.state()")["epoch"]
    app.page.wait_for_timeout(400)
    assert app.call("window.pynet.state()")["epoch"] == a


def test_set_state_rebuilds_and_mirrors_the_hash(app):
    app.open()
    app.ready()
    app.call("window.pynet.step(3)")
    s = app.call("window.pynet.setState({dataset: 'xor', hidden: [3]})")
    assert s["epoch"] == 0 and s["layers"] == [2, 3, 1]
    assert s["settings"]["dataset"] == "xor" and s["settings"]["activation"] == "tanh"
    assert "dataset=xor" in app.call("location.hash") and "hidden=3" in app.call("location.hash")
    assert app.page.locator("#network circle").count() == 6
    expect(app.page.locator("#dataset")).to_have_value("xor")


def test_set_state_rejects_bad_values_with_a_message(app):
    app.open()
    app.ready()
    msg = app.call("window.pynet.setState({learning_rate: -1}).then(() => 'accepted', (e) => e.message)")
    assert "learning_rate" in msg and "expected a number" in msg
    expect(app.page.locator("#notice")).to_contain_text("learning_rate")
    assert app.call("window.pynet.state()")["settings"]["learning_rate"] == 0.03


def test_settings_come_from_the_url_hash(app):
    app.open("#dataset=xor&hidden=3,3&learning_rate=0.1&seed=5")
    assert app.page.locator("#network circle").count() == 9  # drawn before Python
    s = app.ready()
    assert s["layers"] == [2, 3, 3, 1]
    assert s["settings"]["dataset"] == "xor" and s["settings"]["learning_rate"] == 0.1
    assert s["settings"]["seed"] == 5


def test_bad_hash_values_get_a_message_and_defaults_keep_the_rest(app):
    app.open("#dataset=xor&noise=abc&hidden=4,99&colour=red")
    s = app.ready()
    notice = app.page.locator("#notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text('noise: expected a number, got "abc"')
    expect(notice).to_contain_text("hidden")
    expect(notice).to_contain_text('unknown setting "colour"')
    assert s["settings"]["dataset"] == "xor"  # the good value is kept
    assert s["settings"]["noise"] == 0.0 and s["layers"] == [2, 4, 2, 1]


def test_editing_the_hash_applies_good_values_and_reports_bad_ones(app):
    app.open()
    app.ready()
    app.call("location.hash = '#dataset=xor&hidden=5&noise=lots'")
    app.page.wait_for_function("window.pynet.state().then((s) => s.settings.dataset === 'xor')")
    s = app.call("window.pynet.state()")
    assert s["layers"] == [2, 5, 1] and s["settings"]["noise"] == 0.0
    expect(app.page.locator("#notice")).to_contain_text('noise: expected a number, got "lots"')


@pytest.mark.parametrize("missing", [
    "pyodide/python_stdlib.zip",
    "pyodide/pyodide.asm.wasm",
    "pyodide/pyodide.asm.mjs",
    "pyodide/pyodide.mjs",
    "pyodide/pyodide-lock.json",
    f"pyodide/{WHEEL}",
    "js/runtime.js",
    "js/build-info.js",
    "js/views/network.js",
    "vendor/d3.min.js",
])
def test_a_missing_runtime_file_is_shown_and_retry_recovers(app, site, missing):
    site.server.blocked.add(missing)
    app.open()
    page = app.page
    error = page.locator("#error")
    expect(error).to_be_visible(timeout=HANG_GUARD_MS)
    name = missing.split("/")[-1]
    expect(error).to_contain_text(name)
    expect(error).to_contain_text("404")
    expect(page.locator("#retry")).to_be_visible()
    assert app.call("window.pynet.phase") == "error"
    site.server.blocked.clear()
    page.click("#retry")  # a new worker, or a reload when the page's own modules failed
    page.wait_for_function("window.pynet !== undefined && window.pynet.phase === 'ready'",
                           timeout=HANG_GUARD_MS)
    expect(error).to_be_hidden()
    expect(page.locator("#epoch")).to_have_text("0")


def test_a_wheel_with_the_wrong_sha256_is_refused_with_a_message(app, site):
    lock = json.loads((build.DIST / "pyodide" / "pyodide-lock.json").read_text())
    lock["packages"]["pynet"]["sha256"] = hashlib.sha256(b"not the wheel").hexdigest()
    site.server.override["pyodide/pyodide-lock.json"] = json.dumps(lock).encode()
    app.open()
    error = app.page.locator("#error")
    expect(error).to_be_visible(timeout=HANG_GUARD_MS)
    expect(error).to_contain_text(WHEEL)
    expect(error).to_contain_text("sha256")
    site.server.override.clear()
    app.page.click("#retry")
    assert app.ready()["epoch"] == 0


def test_the_site_works_from_a_sub_path(app, site):
    site.server.use_prefix = True
    app.open()
    assert app.ready()["layers"] == [2, 4, 2, 1]
    assert None not in site.server.log  # every request stayed under the sub-path
    assert "pyodide/pyodide.asm.wasm" in site.server.log


def test_requests_to_other_hosts_are_caught(app, foreign_requests):
    """The guard itself works: a request to another host is recorded (and the
    list is emptied so the guard's own assertion passes)."""
    app.open()
    app.call("fetch('https://example.com/x').catch(() => null)")
    assert foreign_requests == ["https://example.com/x"]
    foreign_requests.clear()


def test_worker_requests_are_seen_by_the_guard(app, site, context):
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    app.open()
    app.ready()
    assert any(u.endswith("pyodide.asm.wasm") for u in seen), seen


def test_the_page_file_list_for_load_errors_is_complete():
    """index.html names every page file in PAGE_FILES, so a missing one can be reported."""
    html = (build.DIST / "index.html").read_text()
    listed = set(re.findall(r'"((?:js|vendor)/[^"]+)"', html.split("PAGE_FILES = [")[1].split("]")[0]))
    present = {str(p.relative_to(build.DIST)) for d in ("js", "vendor")
               for p in (build.DIST / d).rglob("*") if p.is_file()}
    assert listed == present
