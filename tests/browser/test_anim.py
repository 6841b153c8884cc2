"""The backward-pass animation in headless Chromium: view() against the trace
and against pynet on CPython, the four phases in order, the explain panel,
the chapter preset and tour, editing a weight (a refused value changes
nothing), page-only settings, keyboard, and the 64-32-10 network. Screenshots
of each phase go to test-results/anim/."""

from __future__ import annotations

import json
import math

import pytest
from conftest import ROOT
from facade_calls import net_from
from playwright.sync_api import expect

from pynet.facade import Facade
from pynet.trace import KINDS

pytestmark = pytest.mark.browser
SHOTS = ROOT / "test-results" / "anim"


def close(a, b, tol=1e-9):
    if isinstance(a, list):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def start_step(app, how="stepSample()"):
    app.call(f"() => {{ window.__step = window.pynet.{how}; }}")


def test_view_shares_equal_the_trace_and_pynet_on_cpython_for_each_kind(app, console_errors):
    app.open("#seed=3&speed=8")
    app.ready()
    before = app.call("window.pynet.state()")
    trace = app.call("window.pynet.stepSample()")
    view = app.call("window.pynet.view()")
    assert view["phase"] == "idle" and view["kind"] == "proportional"
    sample = view["sample"]
    ref = net_from(before).backprop(sample["x"], sample["t"]).to_dict()
    for kind in KINDS:
        app.call(f"window.pynet.setState({{shares: '{kind}'}})")
        app.page.wait_for_function(f"window.pynet.view().kind === '{kind}'")
        v = app.call("window.pynet.view()")
        got = {(e["l"], e["k"], e["j"]): e["share"] for e in v["edges"]}
        want = {(l, k, j): s for l, layer in enumerate(trace["shares"][kind])
                for k, row in enumerate(layer) for j, s in enumerate(row)}
        assert got == want, kind                       # the view draws the trace's numbers
        assert close(trace["shares"][kind], ref["shares"][kind]), kind  # = pynet on CPython
        nodes = {(n["l"], n["j"]): n["error"] for n in v["nodes"]}
        assert all(nodes[(l, j)] == e for l, row in enumerate(trace["node_errors"][kind])
                   for j, e in enumerate(row))
    assert close(trace["updates"], ref["updates"])
    assert console_errors == []


def test_step_sample_runs_the_four_phases_in_order_then_weights_are_old_plus_updates(app):
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.open("#speed=0.5")
    app.ready()
    before = app.call("window.pynet.state()")
    # record every phase the view draws, frame by frame, in the page itself
    app.call("""() => { window.__phases = []; window.__rec = true;
      const tick = () => { const p = window.pynet.view().phase;
        if (window.__phases[window.__phases.length - 1] !== p) window.__phases.push(p);
        if (window.__rec) requestAnimationFrame(tick); };
      tick(); }""")
    start_step(app)
    shot = set()
    for _ in range(200):
        p = app.call("window.pynet.view().phase")
        if p not in shot and p != "idle":
            shot.add(p)
            app.page.screenshot(path=str(SHOTS / f"phase-{len(shot)}-{p}.png"))
        if shot and p == "idle":
            break
        app.page.wait_for_timeout(100)
    trace = app.call("window.__step")
    app.call("() => { window.__rec = false; }")
    phases = app.call("window.__phases")
    assert phases == ["idle", "forward", "error", "backward", "update", "idle"]
    assert shot == {"forward", "error", "backward", "update"}
    after = app.call("window.pynet.state()")
    want = [[[w + u for w, u in zip(row, urow)] for row, urow in zip(wl, ul)]
            for wl, ul in zip(before["weights"], trace["updates"])]
    assert after["weights"] == want
    drawn = app.call("window.pynet.view().edges.map((e) => e.weight)")
    assert drawn == [w for layer in after["weights"] for row in layer for w in row]


def test_a_course_rule_step_explains_exact_backprop_and_shows_the_update_it_applied(app):
    app.open("#speed=8&update=course&seed=4")
    app.ready()
    before = app.call("window.pynet.state()")
    trace = app.call("window.pynet.stepSample()")
    after = app.call("window.pynet.state()")
    assert trace["rule"] == "course"
    # the weights moved by the course's Δw (trace.updates), not by −η·∂E/∂w
    moved = [[[a - b for a, b in zip(ra, rb)] for ra, rb in zip(la, lb)]
             for la, lb in zip(after["weights"], before["weights"])]
    assert close(moved, trace["updates"])
    sample = app.call("window.pynet.view()")["sample"]
    exact = net_from(before).backprop(sample["x"], sample["t"]).to_dict()
    assert not close(trace["updates"][0], exact["updates"][0])
    app.call("window.pynet.select({type: 'edge', l: 0, k: 0, j: 1})")
    fmt = lambda x: app.call(f"import('./js/math.js').then((m) => m.num({x!r}))")
    expect(app.page.locator("#explain-update")).to_have_text(fmt(trace["updates"][0][0][1]))
    expect(app.page.locator("#explain-grad")).to_have_text(fmt(exact["grad_weights"][0][0][1]))
    expect(app.page.locator("#explain-rule")).to_contain_text("course")


def test_l2_steps_show_the_penalty_in_the_update_formula(app):
    app.open("#speed=8&l2=0.05&seed=4")
    app.ready()
    trace = app.call("window.pynet.stepSample()")
    assert trace["l2"] == 0.05
    app.call("window.pynet.select({type: 'edge', l: 1, k: 0, j: 0})")
    fmt = lambda x: app.call(f"import('./js/math.js').then((m) => m.num({x!r}))")
    expect(app.page.locator("#explain-update")).to_have_text(fmt(trace["updates"][1][0][0]))
    expect(app.page.locator("#explain math[aria-label='delta w with the l1 and l2 penalties']")).to_have_count(1)


def test_network_labels_show_tiny_values_in_powers_of_ten_and_never_minus_zero(app):
    # the node labels use math.fixed: an output error of 0.0003 used to read "e 0.000"
    # (as if there were none) and a tiny negative one "e −0.000"
    app.open()
    app.ready()
    got = app.call("import('./js/math.js').then((m) => [-0.0001, 0.000313, -0.0004999, -0, 0, -0.0006, "
                   "1.23456, -2.25, 2e-12, null, NaN, -Infinity].map((x) => m.fixed(x)))")
    assert got == ["−1.0·10⁻⁴", "3.1·10⁻⁴", "−5.0·10⁻⁴", "0.000", "0.000", "−0.001",
                   "1.235", "−2.250", "2.0·10⁻¹²", "–", "–", "–"]
    assert app.call("import('./js/math.js').then((m) => [m.fixed(-0.04, 1), m.fixed(0.05, 1)])") == [
        "−4.0·10⁻²", "0.1"]
    # the explain panel's numbers (math.num) write tiny ones the same way
    assert app.call("import('./js/math.js').then((m) => [-1.96e-7, 0.000313, 2.5e-21, -0.5, 1e-3]"
                    ".map((x) => m.num(x)))") == ["−1.96·10⁻⁷", "0.000313", "2.50·10⁻²¹", "−0.5000",
                                                   "0.0010"]


def test_batch_and_epoch_steps_say_what_they_show(app):
    app.open("#speed=8")
    app.ready()
    tr = app.call("window.pynet.stepWith('batch')")
    assert tr["samples"] == 10
    expect(app.page.locator("#caption")).to_contain_text("batch mean")
    tr = app.call("window.pynet.stepWith('epoch')")
    assert app.call("window.pynet.state()")["epoch"] == 1
    expect(app.page.locator("#caption")).to_contain_text("Epoch done")


def test_explain_panel_shows_the_numbers_of_a_chosen_weight(app):
    app.open("#speed=8")
    app.ready()
    trace = app.call("window.pynet.stepSample()")
    app.call("window.pynet.select({type: 'edge', l: 1, k: 0, j: 2})")
    # the page's own number format (display only: the numbers come from the trace)
    fmt = lambda x: app.call(f"import('./js/math.js').then((m) => m.num({x!r}))")
    expect(app.page.locator("#explain-share")).to_have_text(fmt(trace["shares"]["proportional"][1][0][2]))
    expect(app.page.locator("#explain-grad")).to_have_text(fmt(trace["grad_weights"][1][0][2]))
    expect(app.page.locator("#explain-update")).to_have_text(fmt(trace["updates"][1][0][2]))
    assert fmt(0.04363636) == "0.0436" and fmt(-0.5) == "−0.5000"
    assert app.page.locator("#explain math").count() >= 4  # typeset as MathML
    expect(app.page.locator("#explain")).to_contain_text("sign")
    app.call("window.pynet.setState({shares: 'gradient'})")
    expect(app.page.locator("#explain-share")).to_have_text(fmt(trace["shares"]["gradient"][1][0][2]))


def test_chapter_preset_shows_0_0436_the_slip_note_and_the_tour(app, console_errors):
    app.open("#preset=chapter")
    s = app.ready()
    assert s["layers"] == [4, 2]
    expect(app.page.locator("#explain-share")).to_have_text("0.0436")
    expect(app.page.locator("#explain")).to_contain_text("0.0343")
    app.page.wait_for_function("window.pynet.view().sample !== null")
    v = app.call("window.pynet.view()")
    shares = [e["share"] for e in v["edges"] if e["l"] == 0 and e["k"] == 0]
    assert [round(x, 4) for x in shares] == [0.0436, 0.0073, 0.0109, 0.0182]
    assert math.isclose(sum(shares), 0.08, rel_tol=1e-9)
    # the tour: forward and back, each step setting the view
    count = app.page.locator("#tour-count")
    expect(count).to_have_text("1 of 8")
    assert app.call("window.pynet.view().phase") == "forward"
    app.page.click("#tour-next")
    expect(count).to_have_text("2 of 8")
    app.page.wait_for_function("window.pynet.view().phase === 'error'")
    app.page.click("#tour-next")
    app.page.click("#tour-next")
    app.page.click("#tour-next")
    expect(count).to_have_text("5 of 8")
    app.page.wait_for_function("window.pynet.view().kind === 'transposed'")
    expect(app.page.locator("#explain-share")).to_have_text("0.0480")
    app.page.click("#tour-back")
    expect(count).to_have_text("4 of 8")
    app.page.wait_for_function("window.pynet.view().kind === 'proportional'")
    assert "preset=chapter" in app.call("location.hash")
    # the data select names the preset's own data, not the data set it replaced
    expect(app.page.locator("#dataset option:checked")).to_have_text("the chapter's example")
    # the sigmoid reading: Python's numbers (seed notes: (t − o)·o(1 − o) = 0.005888), with the sign
    app.call("window.pynet.tour.show(6)")
    expect(count).to_have_text("7 of 8")
    fmt = lambda x: app.call(f"import('./js/math.js').then((m) => m.num({x!r}))")
    text = app.page.locator("#tour-text")
    expect(text).to_contain_text(f"= {fmt(-0.005888)} and δ₂ = {fmt(-0.121032)}")
    expect(text).to_contain_text(f"Δw₁₁ = −η·∂E/∂w₁₁ = {fmt(0.0005888)} is positive")
    assert console_errors == []


def test_a_hash_change_to_the_chapter_preset_builds_it_and_back(app):
    """On a live page, a hash naming only the preset must not reset Python's
    settings to their defaults (that used to drop the preset)."""
    app.open("#dataset=xor&hidden=3")
    assert app.ready()["layers"] == [2, 3, 1]
    app.call("location.hash = '#preset=chapter'")
    app.page.wait_for_function("window.pynet.state().then((s) => s.layers.join() === '4,2')")
    expect(app.page.locator("#explain-share")).to_have_text("0.0436")
    app.call("location.hash = '#dataset=xor&hidden=3'")
    app.page.wait_for_function("window.pynet.state().then((s) => s.layers.join() === '2,3,1')")
    assert "preset" not in app.call("location.hash")
    expect(app.page.locator("#dataset")).to_have_value("xor")
    # choosing a data set from the select leaves the preset
    app.call("location.hash = '#preset=chapter'")
    expect(app.page.locator("#dataset")).to_have_value("preset")
    app.page.select_option("#dataset", "circle")
    app.page.wait_for_function("window.pynet.state().then((s) => s.layers.join() === '2,3,1')")
    assert "preset" not in app.call("location.hash") and "dataset=circle" in app.call("location.hash")


def test_editing_a_weight_changes_state_and_the_next_trace_and_bad_text_is_refused(app):
    app.open("#speed=8")
    app.ready()
    app.call("window.pynet.select({type: 'edge', l: 0, k: 1, j: 0})")
    before = app.call("window.pynet.state()")
    page = app.page
    for bad in ("abc", "1e999", "", "0.5x"):
        page.fill("#weight-input", bad)
        page.click("#weight-apply")
        expect(page.locator("#weight-message")).to_contain_text("Nothing was changed")
        assert app.call("window.pynet.state()") == before
    page.fill("#weight-input", "5000")  # out of pynet's range: Python's message
    page.click("#weight-apply")
    expect(page.locator("#weight-message")).to_contain_text("value:")
    page.fill("#weight-input", "0.75")
    page.click("#weight-apply")
    expect(page.locator("#weight-message")).to_have_text("")
    after = app.call("window.pynet.state()")
    assert after["weights"][0][1][0] == 0.75
    expect(page.locator("#explain-weight")).to_have_text("0.7500")
    page.wait_for_function("window.pynet.view().edges[2].weight === 0.75")  # w[0][1][0] is edge 2
    trace = app.call("window.pynet.stepSample()")
    sample = app.call("window.pynet.view().sample")
    ref = net_from(after).backprop(sample["x"], sample["t"]).to_dict()
    assert close(trace["activations"], ref["activations"])
    assert close(trace["shares"]["proportional"], ref["shares"]["proportional"])


def test_page_only_settings_live_in_the_hash_and_never_reach_python(app):
    app.open("#shares=gradient&speed=2&granularity=batch")
    s = app.ready()
    assert not {"shares", "speed", "granularity", "preset"} & set(s["settings"])
    expect(app.page.locator("#shares")).to_have_value("gradient")
    expect(app.page.locator("#granularity")).to_have_value("batch")
    expect(app.page.locator("#step")).to_have_attribute("aria-label", "Step one batch")
    app.call("window.pynet.setState({shares: 'transposed', speed: 4})")
    h = app.call("location.hash")
    assert "shares=transposed" in h and "speed=4" in h and "granularity=batch" in h
    msg = app.call("window.pynet.setState({shares: 'exact'}).then(() => 'ok', (e) => e.message)")
    assert "shares" in msg and "proportional" in msg


def test_a_bad_page_setting_in_the_hash_gets_a_message(app):
    app.open("#shares=exact&speed=99")
    app.ready()
    notice = app.page.locator("#notice")
    expect(notice).to_contain_text("shares")
    expect(notice).to_contain_text("speed")
    expect(app.page.locator("#shares")).to_have_value("proportional")


def test_keyboard_help_step_and_play(app):
    app.open("#speed=8")
    app.ready()
    page = app.page
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    expect(page.locator("#help")).to_contain_text("Space")
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("window.pynet.view().sample !== null")
    page.keyboard.press(" ")
    expect(page.locator("#pause")).to_be_enabled()
    page.wait_for_function("window.pynet.stats().snapshots >= 3")
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_be_enabled()
    # every button has an accessible name (its text: textContent, since innerText is empty
    # for a section the browser skips rendering while it is off screen, style.css)
    for b in page.get_by_role("button").all():
        if b.is_visible():
            assert (b.get_attribute("aria-label") or b.text_content()).strip()


def test_play_trains_in_the_worker_and_glows_with_the_shares(app):
    app.open()
    app.ready()
    app.call("window.pynet.play()")
    app.page.wait_for_function("window.pynet.stats().snapshots >= 10")
    expect(app.page.locator("#caption")).to_contain_text("glow")
    app.call("window.pynet.pause()")
    s = app.call("window.pynet.state()")
    assert s["epoch"] >= 1
    expect(app.page.locator("#epoch")).to_have_text(str(s["epoch"]))
    # the play loop's time by kind (for the benchmark): training took some, none is negative
    busy = app.call("window.pynet.stats().workerBusy")
    assert set(busy) == {"train", "losses", "glow", "grid", "snapshots", "post", "since", "epoch"}
    assert busy["train"] > 0 and min(busy[k] for k in busy if k != "since") >= 0
    assert 1 <= busy["epoch"] <= s["epoch"]


def test_64_32_10_draws_animates_a_step_and_plays(app, console_errors):
    """The issue asks for "no main-thread task over 100 ms" here; timing is not a
    test assertion on this shared machine (see the common brief), so the long
    tasks are recorded to test-results/anim/wide-longtasks.json and measured by
    `build.py bench` (bench/bench_anim.py) instead."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.open("#preset=wide&speed=2")
    app.call("""() => { window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
        .observe({type: 'longtask', buffered: false}); }""")
    s = app.ready()
    assert s["layers"] == [64, 32, 10]
    app.call("() => { window.__long = []; }")  # from here on: drawing and animating only
    start_step(app)
    app.page.wait_for_function("window.pynet.view().phase === 'backward'")
    app.page.screenshot(path=str(SHOTS / "wide-backward.png"))
    trace = app.call("window.__step")
    v = app.call("window.pynet.view()")
    assert len(v["edges"]) == 64 * 32 + 32 * 10 and len(v["nodes"]) == 106
    got = [e["share"] for e in v["edges"]]
    assert got == [x for layer in trace["shares"]["proportional"] for row in layer for x in row]
    app.call("window.pynet.play()")
    app.page.wait_for_function("window.pynet.stats().snapshots >= 10")
    app.call("window.pynet.pause()")
    (SHOTS / "wide-longtasks.json").write_text(json.dumps(
        {"longtasks_ms": app.call("window.__long"), "stats": app.call("window.pynet.stats()")}))
    assert app.call("window.pynet.state()")["epoch"] >= 0
    assert console_errors == []


def test_course_rule_vs_exact_gradient_chart_shows_pynets_two_curves(app, console_errors):
    app.open("#samples=40&learning_rate=1")
    app.ready()
    app.page.click("#compare-run")
    chart = app.page.locator("#compare-chart")
    expect(chart.locator("path.curve")).to_have_count(2, timeout=60_000)
    got = {k: float(chart.locator(f"path.curve.{k}").get_attribute("data-last")) for k in ("course", "gradient")}
    f = Facade()
    f.request({"op": "init", "settings": {"samples": 40, "learning_rate": 1}})
    want = f.request({"op": "compare", "epochs": 30})
    for k in ("course", "gradient"):
        assert math.isclose(got[k], want[k][-1], rel_tol=1e-9), k
    assert got["course"] != got["gradient"]
    expect(app.page.locator("#compare-status")).to_contain_text("exact gradient")
    assert console_errors == []


def test_a_node_can_be_explained_from_the_keyboard_and_leads_to_its_weights(app):
    app.open("#speed=8")
    app.ready()
    app.call("window.pynet.stepSample()")
    page = app.page
    node = page.locator('#network g.node[aria-label="hidden node 1 of layer 2"]')
    node.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#explain h2")).to_contain_text("Node ²h1 (layer 2)")  # two hidden layers: names.js
    page.get_by_role("button", name="explain weight w13 from ¹h3").click()
    expect(page.locator("#explain h2")).to_contain_text("Weight w13")
    sel = app.call("window.pynet.view().edges.find((e) => e.l === 1 && e.k === 0 && e.j === 2)")
    assert sel["share"] is not None


def test_hidden_nodes_are_named_by_layer_when_there_are_several_hidden_layers(app):
    app.open("#hidden=3,2")
    app.ready()
    names = app.page.locator("#network text.name").all_text_contents()
    assert names == ["x1", "x2", "¹h1", "¹h2", "¹h3", "²h1", "²h2", "o1"]
    app.call("window.pynet.select({type: 'edge', l: 1, k: 1, j: 2})")
    expect(app.page.locator("#explain h2")).to_contain_text("¹h3 → ²h2")
    app.call("window.pynet.setState({hidden: [3]})")
    expect(app.page.locator("#network text.name")).to_have_text(["x1", "x2", "h1", "h2", "h3", "o1"])


def test_a_step_on_big_data_keeps_the_last_measured_losses_and_says_so(app):
    app.open("#dataset=iris&hidden=64,64&speed=8")
    s = app.ready()
    app.call("window.pynet.stepSample()")
    expect(app.page.locator("#train-loss")).to_contain_text("(last measured)")
    assert app.page.locator("#train-loss").text_content().startswith(f"{s['train_loss']:.4f}")
    app.call("window.pynet.stepWith('epoch')")  # an epoch's end measures them
    now = app.call("window.pynet.state()")
    expect(app.page.locator("#train-loss")).to_have_text(f"{now['train_loss']:.4f}")


def test_a_weight_edited_to_nan_1e308_or_markup_is_refused_and_nothing_changes(app):
    app.open()
    app.ready()
    page = app.page
    app.call("window.pynet.select({type: 'edge', l: 0, k: 0, j: 1})")
    before = app.call("window.pynet.state()")
    for bad, words in (("NaN", "Not a number: “NaN”"), ("1e308", "value: expected a finite number from -1000 to 1000"),
                       ("<b>1</b>", "Not a number: “<b>1</b>”"), ("-Infinity", "Not a number")):
        page.fill("#weight-input", bad)
        page.click("#weight-apply")
        expect(page.locator("#weight-message")).to_contain_text(words)
        expect(page.locator("#weight-message")).to_contain_text("Nothing was changed")
        assert app.call("document.querySelectorAll('#weight-message *').length") == 0
        assert app.call("window.pynet.state()") == before
    expect(page.locator("#notice")).to_contain_text("value:")   # Python's refusal of 1e308 is a notice too
