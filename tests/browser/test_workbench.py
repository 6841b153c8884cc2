"""The workbench (issue 18) in headless Chromium: at a projector's 1280×720 every view that
shows learning and the main controls are inside the window without scrolling and none
overlaps another; at 390 px the same parts stack in order; the model's most-tried
changes sit beside the diagram; Copy link; the Speed control slows Play; the four-phase
indicator lights as a stepped sample plays."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: the parts the workbench must show at once (issue 18, "What to build")
PARTS = ["#data-plot", "#network-view", "#explain", "#loss-chart", "#play", "#step", "#dataset",
         "#shares", "#speed", "#m-add-layer", "#m-activation", "#m-learning_rate", "#phases"]
#: the views that must not overlap one another (the controls are inside #controls)
VIEWS = ["#controls", "#data-view", "#network-view", "#model", "#explain", "#loss-chart"]

BOXES = """(sels) => Object.fromEntries(sels.map((s) => {
  const r = document.querySelector(s).getBoundingClientRect();
  return [s, [r.left, r.top, r.right, r.bottom]]; }))"""


def boxes(page, selectors):
    return page.evaluate(BOXES, selectors)


def overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)])
def test_every_main_part_fits_the_window_without_scrolling_and_none_overlaps(app, size):
    w, h = size
    app.page.set_viewport_size({"width": w, "height": h})
    app.open("#intro=false")
    app.ready()
    app.call("window.pynet.step(3)")
    assert app.call("scrollY") == 0
    got = boxes(app.page, PARTS)
    for sel, (left, top, right, bottom) in got.items():
        assert right - left > 0 and bottom - top > 0, f"{sel} is not drawn"
        assert left >= 0 and top >= 0 and right <= w and bottom <= h, f"{sel} at {got[sel]} is outside {w}×{h}"
    views = boxes(app.page, VIEWS)
    for i, a in enumerate(VIEWS):
        for b in VIEWS[i + 1:]:
            assert not overlap(views[a], views[b]), f"{a} {views[a]} overlaps {b} {views[b]}"
    assert app.call("document.documentElement.scrollWidth") <= w


def test_the_chapter_tour_sits_beside_the_network_not_above_it(app):
    app.page.set_viewport_size({"width": 1280, "height": 720})
    app.open("#preset=chapter&intro=false")
    app.ready()
    expect(app.page.locator("#tour")).to_be_visible()
    got = boxes(app.page, ["#tour", "#network-view", "#data-plot"])
    tour, net = got["#tour"], got["#network-view"]
    assert tour[0] >= net[2], f"the tour {tour} is not right of the network {net}"
    assert net[1] < 140, f"the network starts {net[1]:.0f} px down"
    assert got["#network-view"][3] <= 720 and got["#data-plot"][3] <= 720


def test_390_px_stacks_the_workbench_in_order_with_touch_sized_controls(app):
    app.page.set_viewport_size({"width": 390, "height": 844})
    app.open("#intro=false")
    app.ready()
    order = ["#controls", "#data-view", "#network-view", "#model", "#explain", "#loss-chart"]
    got = boxes(app.page, order)
    tops = [got[s][1] for s in order]
    assert tops == sorted(tops), dict(zip(order, tops))
    for s in order:
        assert got[s][2] <= 390, f"{s} reaches {got[s][2]:.0f} px"
    for s in ["#play", "#step", "#dataset"]:
        height = app.page.locator(s).bounding_box()["height"]
        assert height >= 44, f"{s} is {height:.0f} px high"


def test_the_shelf_keeps_the_less_used_panels_below_the_workbench(app):
    app.page.set_viewport_size({"width": 1280, "height": 720})
    app.open("#intro=false")
    app.ready()
    got = boxes(app.page, ["#own-data", "#m-batch_size", "#save-model", "#python-code", "#compare-run"])
    for sel, box in got.items():
        assert box[1] >= 720, f"{sel} at {box[1]:.0f} px pushes into the workbench"
    app.page.click("#shelf-nav [data-shelf=python]")
    assert app.call("location.hash").find("python") < 0  # the hash keeps only settings
    expect(app.page.locator("#python-code")).to_be_in_viewport()


def test_copy_link_copies_the_address_and_says_so(app, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    app.open("#seed=4&intro=false")
    app.ready()
    app.page.click("#copy-link")
    expect(app.page.locator("#copy-link-status")).to_have_text("Copied")
    copied = app.call("navigator.clipboard.readText()")
    assert copied == app.call("location.href")
    assert "seed=4" in copied


def test_copy_link_says_plainly_when_the_clipboard_is_refused(app):
    app.open("#intro=false")
    app.ready()
    app.call("""Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
      writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) } })""")
    app.page.click("#copy-link")
    status = app.page.locator("#copy-link-status")
    expect(status).to_contain_text("Could not copy")
    expect(status).to_contain_text("address bar")
    expect(status).to_have_class("bad")


def epochs_after(app, ms: int) -> int:
    start = app.call("window.pynet.state()")["epoch"]
    app.page.click("#play")
    app.page.wait_for_timeout(ms)
    app.page.click("#pause")
    app.page.wait_for_function("document.getElementById('play').disabled === false")
    return app.call("window.pynet.state()")["epoch"] - start


def test_speed_slows_play_to_a_watchable_rate_and_its_top_is_the_workers_own_pace(app):
    app.open("#intro=false&speed=0.25")
    app.ready()
    expect(app.page.locator("#speed-play")).to_have_text("Play: 2 epochs/s")
    slow = epochs_after(app, 2000)
    assert 1 <= slow <= 6, f"{slow} epochs in 2 s at speed 0.25 (2 epochs/s)"
    expect(app.page.locator("#pause")).to_be_disabled()
    app.call("window.pynet.setState({speed: 1})")
    expect(app.page.locator("#speed-play")).to_have_text("Play: max")
    fast = epochs_after(app, 2000)
    assert fast > 3 * slow, f"{fast} epochs at 1× against {slow} at 0.25×"


def test_the_phase_indicator_lights_each_phase_of_a_stepped_sample_in_turn(app):
    app.open("#intro=false")
    app.ready()
    phases = app.page.locator("#phases")
    expect(phases).to_have_attribute("data-phase", "idle")
    app.call("window.pynet.setState({speed: 0.25})")
    app.call("() => { window.pynet.stepSample(); }")
    app.page.wait_for_function("window.pynet.view().phase === 'forward'")
    expect(phases).to_have_attribute("data-phase", "forward")  # lit as it plays, before any seek
    seen = []
    for phase in ["forward", "error", "backward", "update"]:
        app.call(f"window.pynet.seek('{phase}', 0.5)")  # the seekable clock: each phase held still
        expect(phases).to_have_attribute("data-phase", phase)
        now = phases.locator("li.now")
        expect(now).to_have_count(1)
        seen.append(now.get_attribute("data-phase"))
        done = [li.get_attribute("data-phase") for li in phases.locator("li.done").all()]
        assert done == ["forward", "error", "backward", "update"][:len(seen) - 1]
        expect(app.page.locator("#caption")).to_contain_text(phase.capitalize() if phase != "error" else "Error")
    assert seen == ["forward", "error", "backward", "update"]
