"""Why the gradient is right through window.pynet (issue 20's automation API):
paths({l, k, j}) after a stepped sample sums to the gradient the step's trace
shows, and nudge leaves the network exactly as it was."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_paths_and_nudge_explain_the_last_steps_gradient_and_change_nothing(app):
    app.open("#dataset=xor&seed=2")
    app.ready()
    trace = app.call("window.pynet.stepSample()")
    before = app.call("window.pynet.state()")
    p = app.call("window.pynet.paths({l: 0, k: 1, j: 0})")
    assert p["at"] == "last_step" and p["count"] == 2 and len(p["paths"]) == 2
    assert p["gradient"] == pytest.approx(trace["grad_weights"][0][1][0], rel=1e-12, abs=1e-15)
    assert sum(path["product"] for path in p["paths"]) == pytest.approx(p["gradient"], rel=1e-9, abs=1e-15)
    assert p["multiplications"]["paths"] > p["multiplications"]["backprop"] > 0
    n = app.call("window.pynet.nudge({l: 0, k: 1, j: 0})")
    assert n["eps"] == 1e-4 and n["agree_digits"] >= 6
    assert n["numeric"] == pytest.approx(n["gradient"], rel=1e-6, abs=1e-10)
    after = app.call("window.pynet.state()")
    assert after["weights"] == before["weights"] and after["biases"] == before["biases"]
    assert after["epoch"] == before["epoch"]
    err = app.call("window.pynet.paths({l: 7, k: 0, j: 0}).then(() => null, (e) => e.message)")
    assert "l: expected a whole number from 0 to 2" in err
