"""build.py's browser provisioning (issue 6), with the machine faked: these tests
never depend on which browser this machine happens to have, and run nothing.

tests/tooling/ tests build.py itself: CPython only (the Pyodide run ignores it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import build

APT = "/usr/bin/apt-get"
PLAYWRIGHT_INSTALL = [str(build.venv_bin("playwright")), "install", "chromium"]


class FakeMachine:
    """A machine whose browsers, commands and privileges the test decides.

    ``own``/``system``: what is installed now; ``installs``: what a successful
    command adds (command name -> ("own"|"system", path)); ``fails``: exit status per
    command name; ``broken``: paths (or "own") that are present but do not start."""

    def __init__(self, own=None, system=None, apt=APT, root=True, sudo=False,
                 fails=None, broken=(), installs=None):
        self.own, self.system, self.apt, self.root, self.sudo = own, system, apt, root, sudo
        self.fails = fails or {}
        self.broken = set(broken)
        self.installs = installs or {}
        self.ran: list[list[str]] = []

    def playwright_chromium(self):
        return self.own

    def system_chromium(self):
        return self.system

    def launch_error(self, path):
        key = path or "own"
        return "error while loading shared libraries: libnss3.so" if key in self.broken else None

    def run(self, cmd, timeout):
        self.ran.append(cmd)
        name = "playwright" if cmd[:3] == PLAYWRIGHT_INSTALL else " ".join(
            c for c in cmd if c not in ("sudo", "-n", "-y") and c != self.apt and not c.startswith("/"))
        rc = self.fails.get(name, 0)
        if rc == 0 and name in self.installs:
            where, path = self.installs[name]
            setattr(self, where, path)
        return rc, ("Error: Download failure, code=1" if rc else "done")

    def apt_get(self):
        return self.apt

    def is_root(self):
        return self.root

    def passwordless_sudo(self):
        return self.sudo


def test_playwrights_own_chromium_is_used_when_installed(capsys):
    m = FakeMachine(own="/root/.cache/ms-playwright/chromium-1255/chrome", system="/usr/bin/chromium")
    assert build.provide_browser(m) is None  # None: Playwright's own, no executable_path
    assert m.ran == []
    out = capsys.readouterr().out
    assert out.count("Browser:") == 1 and "Playwright's own Chromium" in out and "already installed" in out


def test_a_system_chromium_already_there_is_used_and_nothing_is_installed(capsys):
    m = FakeMachine(system="/usr/bin/chromium")
    assert build.provide_browser(m) == "/usr/bin/chromium"
    assert m.ran == []
    out = capsys.readouterr().out
    assert "Browser: the system Chromium, /usr/bin/chromium" in out
    assert "Playwright's own is not installed" in out


def test_second_run_after_an_install_finds_it_and_does_nothing(capsys):
    m = FakeMachine(fails={"playwright": 1}, installs={"install chromium": ("system", "/usr/bin/chromium")})
    assert build.provide_browser(m) == "/usr/bin/chromium"
    first = list(m.ran)
    assert first, "the first run installs"
    m.ran.clear()
    assert build.provide_browser(m) == "/usr/bin/chromium"
    assert m.ran == []


def test_playwright_install_is_tried_first_and_its_chromium_used(capsys):
    m = FakeMachine(installs={"playwright": ("own", "/root/.cache/ms-playwright/chromium-1255/chrome")})
    assert build.provide_browser(m) is None
    assert m.ran == [PLAYWRIGHT_INSTALL]
    assert "installed just now by `playwright install chromium`" in capsys.readouterr().out


def test_when_playwright_cannot_download_root_installs_debians_chromium(capsys):
    m = FakeMachine(fails={"playwright": 1}, installs={"install chromium": ("system", "/usr/bin/chromium")})
    assert build.provide_browser(m) == "/usr/bin/chromium"
    assert m.ran == [PLAYWRIGHT_INSTALL, [APT, "update"], [APT, "install", "-y", "chromium"]]
    out = capsys.readouterr().out
    assert "installed just now with apt-get" in out


def test_passwordless_sudo_takes_the_apt_path_through_sudo():
    m = FakeMachine(root=False, sudo=True, fails={"playwright": 1},
                    installs={"install chromium": ("system", "/usr/bin/chromium")})
    assert build.provide_browser(m) == "/usr/bin/chromium"
    assert m.ran[1:] == [["sudo", "-n", APT, "update"], ["sudo", "-n", APT, "install", "-y", "chromium"]]


def test_a_chromium_that_does_not_start_is_not_chosen():
    m = FakeMachine(system="/usr/bin/chromium-old", broken={"/usr/bin/chromium-old"},
                    installs={"playwright": ("own", "/root/.cache/ms-playwright/chromium-1255/chrome")})
    assert build.provide_browser(m) is None
    assert m.ran == [PLAYWRIGHT_INSTALL]


def test_nothing_works_without_apt_names_the_playwright_command():
    m = FakeMachine(apt=None, fails={"playwright": 1})
    with pytest.raises(build.StepFailed) as err:
        build.provide_browser(m)
    msg = str(err.value)
    assert f"Run `{' '.join(PLAYWRIGHT_INSTALL)}`" in msg
    assert "Download failure" in msg and "no apt-get" in msg
    assert m.ran == [PLAYWRIGHT_INSTALL]


def test_nothing_works_for_a_user_without_sudo_names_the_sudo_command():
    m = FakeMachine(root=False, sudo=False, fails={"playwright": 1})
    with pytest.raises(build.StepFailed) as err:
        build.provide_browser(m)
    assert "Run `sudo apt-get install -y chromium`" in str(err.value)
    assert "not root and has no password-less sudo" in str(err.value)
    assert m.ran == [PLAYWRIGHT_INSTALL]  # apt-get is never tried without the rights


def test_a_failing_apt_get_stops_with_its_error():
    m = FakeMachine(fails={"playwright": 1, "install chromium": 100})
    with pytest.raises(build.StepFailed) as err:
        build.provide_browser(m)
    msg = str(err.value)
    assert "`/usr/bin/apt-get install -y chromium` failed" in msg
    assert "Run `apt-get install -y chromium`" in msg


@pytest.fixture
def no_real_work(monkeypatch):
    """main() with set-up, build, lint, tests and bench replaced; records what ran."""
    calls: list[str] = []
    monkeypatch.setattr(build, "setup", lambda: calls.append("setup"))
    monkeypatch.setattr(build, "build", lambda *a, **k: calls.append("build"))
    monkeypatch.setattr(build, "lint", lambda *a, **k: calls.append("lint") or 0)
    monkeypatch.setattr(build, "run_tests", lambda extra: calls.append("tests") or 0)
    monkeypatch.setattr(build, "bench", lambda: calls.append("bench") or 0)
    monkeypatch.setattr(build, "serve", lambda port, open_browser: calls.append("serve") or 0)
    monkeypatch.delenv(build.CHROMIUM_ENV, raising=False)
    return calls


def _no_browser(machine=None):
    raise build.StepFailed("No Chromium for the browser tests, and none could be installed: ...")


@pytest.mark.parametrize("command", ["build", "serve"])
def test_build_and_serve_never_ask_for_a_browser(no_real_work, monkeypatch, command):
    monkeypatch.setattr(build, "provide_browser", _no_browser)
    assert build.main([command]) == 0
    assert no_real_work == (["setup", "build", "serve"] if command == "serve" else ["setup", "build"])


@pytest.mark.parametrize("command,ran", [("test", "tests"), ("bench", "bench")])
def test_without_a_browser_test_and_bench_stop_with_exit_status_2(no_real_work, monkeypatch, capsys,
                                                                  command, ran):
    monkeypatch.setattr(build, "provide_browser", _no_browser)
    assert build.main([command]) == 2
    assert ran not in no_real_work
    assert "ERROR: No Chromium for the browser tests" in capsys.readouterr().err


def test_the_chosen_browser_reaches_the_tests(no_real_work, monkeypatch):
    import os
    monkeypatch.setattr(build, "provide_browser", lambda machine=None: "/opt/chromium/chrome")
    seen = {}
    monkeypatch.setattr(build, "run_tests", lambda extra: seen.update(env=os.environ.get(build.CHROMIUM_ENV)) or 0)
    assert build.main(["test", "-k", "x"]) == 0
    assert seen["env"] == "/opt/chromium/chrome"
    monkeypatch.setattr(build, "provide_browser", lambda machine=None: None)  # Playwright's own
    assert build.main(["test"]) == 0
    assert seen["env"] == "playwright"
