"""The play loop's slices (``train_for``) stop by themselves at ``max_epoch``
and ``target_loss``, at the same epoch as ``step`` does."""

from __future__ import annotations

import pytest

from facade_calls import call, started  # noqa: E402  (tests/ is on sys.path)


def play_until_stopped(f, limit=200, **req):
    """train_for slices until one answers ``stopped`` (or ``limit`` slices)."""
    for _ in range(limit):
        r = call(f, op="train_for", ms=50, **req)
        assert r["ok"], r
        if r["stopped"]:
            return r
    raise AssertionError(f"no stop after {limit} slices (epoch {r['epoch']})")


@pytest.mark.parametrize("glow", [None, "proportional"])
def test_train_for_stops_exactly_at_max_epoch_and_then_trains_nothing(glow):
    f = started(seed=2, max_epoch=3)
    r = play_until_stopped(f, glow=glow)
    assert r["stopped"] == "max_epoch" and r["epoch"] == 3 and r["cursor"] == 0
    assert "train_loss" in r and "train_accuracy" in r     # the final figures come with it
    again = call(f, op="train_for", ms=5, glow=glow)
    assert again["stopped"] == "max_epoch" and again["steps"] == 0
    assert again["weights"] == r["weights"] and again["epoch"] == 3
    # raising the limit (a live setting) lets training go on from there
    assert call(f, op="set_state", settings={"max_epoch": 5})["reset"] is False
    assert play_until_stopped(f, glow=glow)["epoch"] == 5


def test_train_for_stops_at_max_epoch_before_any_training():
    f = started(seed=2, max_epoch=1)
    call(f, op="step", n=1)
    r = call(f, op="train_for", ms=5)
    assert r["ok"] and r["stopped"] == "max_epoch" and r["steps"] == 0 and r["epoch"] == 1


def test_train_for_stops_at_the_same_epoch_as_step_for_a_target_loss():
    hist = call(started(seed=3, learning_rate=0.1), op="step", n=30)["history"]
    # a target between two history values (no float-rounding tie with any of them)
    target = sorted(hist)[len(hist) // 2] * (1 + 1e-6)
    assert all(abs(h - target) > 1e-9 for h in hist)
    first = next(i for i, h in enumerate(hist) if h <= target)
    stepped = call(started(seed=3, learning_rate=0.1, target_loss=target), op="step", n=30)
    assert stepped["stopped"] == "target_loss" and stepped["epoch"] == first + 1
    played = play_until_stopped(started(seed=3, learning_rate=0.1, target_loss=target))
    assert played["stopped"] == "target_loss" and played["epoch"] == first + 1
    assert played["cursor"] == 0


def test_train_for_without_stop_conditions_reports_null():
    r = call(started(seed=2), op="train_for", ms=5)
    assert r["ok"] and r["stopped"] is None
