"""The warm sandbox: one long-lived server per calling process (a pool when threads parse at once)
forks a limited child per file, has an empty environment, is replaced when it dies, is not shared
with forked processes, and leaves no process behind after a timeout."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from candidates import sandbox
from candidates.parsing import ParseError
from candidates.sandbox import parse_in_subprocess
from tests.hostile_files import NORMAL_RESUME, slow_scan


@pytest.fixture(autouse=True)
def fresh_servers():
    sandbox.servers.stop_all()
    yield
    sandbox.servers.stop_all()


def server_pids() -> list[int]:
    return [server.process.pid for server in sandbox.servers.idle]


def living_processes_in_group(group: int) -> list[int]:
    """Processes of the group that are neither dead nor dying, after up to a second of SIGKILL."""
    deadline = time.monotonic() + 1
    while True:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                state, _, pgid = stat.read_text().rsplit(")", 1)[1].split()[:3]
            except OSError:
                continue
            if int(pgid) == group and state not in "ZX":
                found.append(int(stat.parent.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def assert_parses() -> None:
    assert parse_in_subprocess(NORMAL_RESUME, "jane_roe.pdf").full_name == "Jane Roe"


def test_one_warm_server_parses_file_after_file():
    assert_parses()
    [pid] = server_pids()
    started = time.monotonic()
    for _ in range(5):
        assert_parses()
    assert server_pids() == [pid]
    assert (time.monotonic() - started) / 5 < 0.5  # a fork, not an interpreter start


def test_the_server_has_an_empty_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "not-for-the-parser")
    assert_parses()
    [pid] = server_pids()
    environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert [entry for entry in environment if entry] == [
        b"PYTHONPATH=" + str(sandbox.REPO_ROOT).encode()
    ]


def test_a_server_that_died_is_replaced():
    assert_parses()
    [pid] = server_pids()
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    assert_parses()
    assert server_pids() != [pid] and len(server_pids()) == 1


def test_threads_parsing_at_once_each_get_a_server():
    results, barrier = [], threading.Barrier(3)

    def parse() -> None:
        barrier.wait()
        results.append(parse_in_subprocess(NORMAL_RESUME, "jane_roe.pdf").full_name)

    threads = [threading.Thread(target=parse) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["Jane Roe"] * 3
    assert 1 <= len(set(server_pids())) <= 3


def test_a_forked_process_starts_its_own_server_and_leaves_the_parents_alone():
    assert_parses()
    [parent_server] = server_pids()
    child = os.fork()
    if child == 0:  # pragma: no cover - reported through the exit status
        try:
            assert sandbox.servers.idle == []
            assert_parses()
            os._exit(0 if server_pids() != [parent_server] else 2)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert server_pids() == [parent_server]
    assert_parses()


def test_a_timeout_kills_the_child_and_the_programs_it_started():
    scan = slow_scan()  # OCR: pdftoppm, then tesseract
    assert_parses()
    [server] = sandbox.servers.idle
    reply = server.call(
        {"filename": "scan.pdf", "default_region": "US", "timeout": 0.3, "memory_mb": 512},
        scan,
    )
    assert reply["failure"] == "timeout"
    assert living_processes_in_group(reply["child"]) == []
    with pytest.raises(ParseError, match="^Parsing took longer than 0.3 seconds"):
        parse_in_subprocess(scan, "scan.pdf", timeout=0.3)
    assert_parses()
