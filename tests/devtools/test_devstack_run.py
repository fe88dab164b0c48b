"""`make run`'s supervisor (devtools.devstack.supervise) stops everything it started, however
it is stopped: Ctrl-C (SIGINT to the terminal's foreground group), SIGTERM (a service manager) or
SIGHUP (the terminal closing) to its process group or to it alone, its terminal going away, or
its own death by SIGKILL. The children here stand in for the web server, worker and beat: each
has a child of its own, as runserver and Celery do, and one ignores SIGINT and SIGTERM, so only
the escalation to SIGKILL after the grace period stops it."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devtools import devstack

GRACE = 1
# Each stands in for a child that stops its own child on SIGTERM, as runserver and Celery do.
POLITE = "trap 'kill $!; exit' TERM; sleep 300 & wait"
STUBBORN = "trap '' INT TERM; sleep 300"
# Standard library only, loaded by path: starting it costs no Django or Celery import.
SUPERVISOR = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("devstack", {path!r})
devstack = importlib.util.module_from_spec(spec)
spec.loader.exec_module(devstack)
devstack.STOP_GRACE_SECONDS = {grace}
sys.exit(devstack.supervise({commands!r}, web_port=1))
"""
COMMANDS = {
    "web": ["sh", "-c", POLITE],
    "worker": ["sh", "-c", "echo working; " + POLITE],
    "beat": ["sh", "-c", STUBBORN],
}


def _children(pid: int) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text().rpartition(")")[2].split()
                if stat[0] != "Z":
                    children.setdefault(int(stat[1]), []).append(int(entry.name))
    return children


def _descendants(pid: int) -> set[int]:
    children, found, pending = _children(pid), set(), [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _wait(condition, what: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return result


def _script(commands: dict[str, list[str]]) -> str:
    path = str(Path(devstack.__file__))
    return SUPERVISOR.format(path=path, grace=GRACE, commands=commands)


def _start(commands=COMMANDS):
    """The supervisor in a session of its own, as `make run` in a terminal, and what it started."""
    process = subprocess.Popen(
        [sys.executable, "-c", _script(commands)], cwd=devstack.PROJECT_DIR, start_new_session=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    started = _wait(
        lambda: len(found := _descendants(process.pid)) == 2 * len(commands) and found,
        "the supervisor's children",
    )
    assert process.stdout.readline().strip().endswith("| working")
    return process, started


@pytest.fixture
def supervisor():
    process, started = _start()
    yield process, started
    for pid in started | {process.pid}:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


def _assert_everything_stops(process, started):
    _wait(lambda: not any(map(_alive, started)), "every child to stop", timeout=GRACE + 15)
    process.wait(timeout=10)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=str)
def test_a_signal_to_the_process_group_stops_everything(supervisor, signum):
    process, started = supervisor
    os.killpg(process.pid, signum)
    _assert_everything_stops(process, started)
    assert process.returncode == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=str)
def test_a_signal_to_the_supervisor_alone_stops_everything(supervisor, signum):
    process, started = supervisor
    os.kill(process.pid, signum)
    _assert_everything_stops(process, started)


def test_the_terminal_going_away_stops_everything(supervisor):
    """Closing a terminal hangs up and takes the output away: writing must not kill the supervisor
    before it has stopped its children."""
    process, started = supervisor
    process.stdout.close()
    os.killpg(process.pid, signal.SIGHUP)
    _assert_everything_stops(process, started)


def test_the_supervisor_killed_takes_its_children_with_it():
    """SIGKILL cannot be caught: the kernel sends each child SIGTERM (PR_SET_PDEATHSIG), and
    the children that stop on SIGTERM (all of the real ones) stop."""
    process, started = _start({**COMMANDS, "beat": COMMANDS["web"]})
    try:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        _wait(lambda: not any(map(_alive, started)), "every child to stop")
    finally:
        for pid in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_a_child_that_exits_stops_the_others(tmp_path):
    """The positive twin of a quiet stop: a child that dies brings the rest down, with status 1."""
    script = _script({**COMMANDS, "web": ["sh", "-c", "sleep 0.5; exit 3"]})
    process = subprocess.run(
        [sys.executable, "-c", script], cwd=devstack.PROJECT_DIR, capture_output=True, text=True,
        timeout=GRACE + 30,
    )  # fmt: skip
    assert process.returncode == 1
    assert "web exited with status 3; stopped the others" in process.stderr
