"""Parse an uploaded resume in a separate, resource-limited process.

Untrusted files can make a parser (or the programs it runs: pdftoppm, tesseract, soffice) use
unbounded memory or CPU time: decompression and image bombs, pathological page trees, documents
that make LibreOffice spin. Each file is therefore parsed in a child process with RLIMIT_AS,
RLIMIT_CPU and RLIMIT_FSIZE, killed with everything it started when a wall-clock timeout passes.

Starting a Python interpreter and importing the parsing libraries costs far more than parsing a
resume, so each calling process keeps warm sandbox servers: `python -m candidates.sandbox`, started
on first use with an empty environment, imports candidates.parsing (never Django) once and then
forks one child per file. A server takes one request at a time; a calling process with several
threads uses a small pool. A server exits when its caller closes its stdin (or dies), is replaced
when it dies, and is forgotten (not shared) by a process forked from its caller (Celery's prefork
pool, gunicorn workers).

The wire: the caller writes a JSON header line (filename, default_region, timeout, memory_mb,
size) and `size` bytes; the server answers one JSON line: {"result": ParsedResume dict},
{"error": reason} or {"failure": "timeout" | "exit", "child": pid, "returncode": n, "stderr": tail}.
"""

import atexit
import contextlib
import ctypes
import gc
import json
import logging
import math
import os
import resource
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from candidates.parsing import ParsedResume, ParseError, parse_resume

REPO_ROOT = Path(__file__).resolve().parents[1]
# Nothing is inherited: the server reads untrusted files and needs none of the caller's secrets.
# PYTHONPATH keeps `candidates` importable even when the caller runs with safe-path mode (-P).
CHILD_ENVIRONMENT = {"PYTHONPATH": str(REPO_ROOT)}
MAX_HEADER_BYTES = 4096
MAX_REPLY_BYTES = 16 * 2**20
MAX_FILE_BYTES = 256 * 2**20  # RLIMIT_FSIZE: temporary files (page images, conversions)
STDERR_TAIL_BYTES = 2000
# How much longer than the parse's own timeout the caller waits for a server's answer.
SERVER_GRACE_SECONDS = 5
CRASH_REASON = "The parser stopped unexpectedly on this file; it may be damaged."

logger = logging.getLogger(__name__)


def parse_in_subprocess(
    data: bytes,
    filename: str,
    *,
    default_region: str = "US",
    timeout: float = 20,
    memory_mb: int = 512,
) -> ParsedResume:
    """parse_resume in a child process limited to `memory_mb` of memory and `timeout` seconds."""
    request = {
        "filename": filename,
        "default_region": default_region,
        "timeout": timeout,
        "memory_mb": memory_mb,
    }
    reply = servers.call(request, data)
    return result_from_reply(reply, timeout=timeout, memory_mb=memory_mb)


def result_from_reply(reply: dict[str, Any], *, timeout: float, memory_mb: int) -> ParsedResume:
    if "result" in reply:
        return ParsedResume.from_dict(reply["result"])
    if "error" in reply:
        raise ParseError(str(reply["error"]))
    if reply.get("failure") == "timeout":
        raise ParseError(
            f"Parsing took longer than {timeout:g} seconds; the file may be damaged or too complex."
        )
    logger.warning(
        "Resume parser child %s failed with exit status %s: %s",
        reply.get("child"),
        reply.get("returncode"),
        reply.get("stderr", ""),
    )
    raise ParseError(failure_reason(reply, timeout=timeout, memory_mb=memory_mb))


def failure_reason(reply: dict[str, Any], *, timeout: float, memory_mb: int) -> str:
    if reply.get("returncode") in (-signal.SIGXCPU, -signal.SIGKILL):
        return (
            f"Parsing needed more than {timeout:g} seconds of processing; "
            "the file may be damaged or too complex."
        )
    if "MemoryError" in reply.get("stderr", ""):
        return memory_reason(memory_mb)
    return CRASH_REASON


def memory_reason(memory_mb: int) -> str:
    return (
        f"Parsing needed more than {memory_mb} MB of memory; "
        "the file may be damaged or a decompression bomb."
    )


# --------------------------------------------------------------------------------------------
# The caller's side: a pool of warm servers
# --------------------------------------------------------------------------------------------


class Server:
    """One `python -m candidates.sandbox` process, used by one thread at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "candidates.sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO_ROOT,
            env=CHILD_ENVIRONMENT,
        )

    def call(self, request: dict[str, Any], data: bytes) -> dict[str, Any]:
        header = json.dumps({**request, "size": len(data)}).encode() + b"\n"
        self.process.stdin.write(header + data)
        self.process.stdin.flush()
        deadline = time.monotonic() + request["timeout"] + SERVER_GRACE_SECONDS
        return json.loads(read_line(self.process.stdout.fileno(), deadline, MAX_REPLY_BYTES))

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Close its stdin, which makes it exit; kill it if it does not within a second."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process.stdout.close()

    def kill(self) -> None:
        """Its child dies with it (PR_SET_PDEATHSIG)."""
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()

    def forget(self) -> None:
        """In a forked copy of the caller: close this copy of the pipes, leave the process be."""
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        self.process.returncode = 0  # not this copy's child: nothing to wait for


class ServerPool:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[Server] = []

    def call(self, request: dict[str, Any], data: bytes) -> dict[str, Any]:
        server = self.take()
        try:
            reply = server.call(request, data)
        except (TimeoutError, EOFError, OSError, ValueError) as error:
            # Dead (a broken pipe, no or a garbled answer) or stuck: never reused.
            logger.warning("Sandbox server failed: %r; replacing it", error)
            server.kill()
            if isinstance(error, TimeoutError):
                return {"failure": "timeout"}
            return {"failure": "exit", "returncode": server.process.returncode, "stderr": ""}
        except BaseException:
            server.kill()
            raise
        with self.lock:
            self.idle.append(server)
        return reply

    def take(self) -> Server:
        with self.lock:
            while self.idle:
                server = self.idle.pop()
                if server.is_running():
                    return server
                server.stop()
        return Server()

    def stop_all(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for server in idle:
            server.stop()

    def forget_all(self) -> None:
        self.lock = threading.Lock()  # it may have been held by another thread at fork time
        for server in self.idle:
            server.forget()
        self.idle = []


servers = ServerPool()
atexit.register(servers.stop_all)
os.register_at_fork(after_in_child=servers.forget_all)


def read_line(fd: int, deadline: float, limit: int) -> bytes:
    """One line from a pipe before `deadline`; TimeoutError, or EOFError at end of file."""
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size += len(chunk)
        if chunk.endswith(b"\n"):
            return b"".join(chunks)
        if size > limit:
            raise ValueError("reply too long")


# --------------------------------------------------------------------------------------------
# The server: `python -m candidates.sandbox`
# --------------------------------------------------------------------------------------------


def serve() -> int:
    warm_up()
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while header := requests.readline(MAX_HEADER_BYTES):
        request = json.loads(header)
        data = requests.read(request["size"])
        reply = parse_in_child(request, data)
        replies.write(json.dumps(reply).encode() + b"\n")
        replies.flush()
    return 0  # the caller closed the pipe, or died


def warm_up() -> None:
    """Parse a trusted document once, so that every child starts with the lazy imports and caches
    done; freeze those objects so that the forked children share their memory pages."""
    with contextlib.suppress(ParseError):  # a failed warm-up only leaves the children colder
        parse_resume(warm_up_pdf(), "warm-up.pdf")
    gc.freeze()


def warm_up_pdf() -> bytes:
    text = b"BT /F1 12 Tf 72 720 Td (Jane Roe) Tj 0 -16 Td (jane@example.com) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >> stream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj %s endobj\n" % (number, body)
    xref = b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF" % len(pdf)
    return pdf + xref + trailer


def parse_in_child(request: dict[str, Any], data: bytes) -> dict[str, Any]:
    result_read, result_write = os.pipe()
    error_read, error_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's exit status and output are what tests see
        os.close(result_read)
        os.close(error_read)
        child_main(request, data, result_write, error_write)
    os.close(result_write)
    os.close(error_write)
    deadline = time.monotonic() + request["timeout"]
    output, errors, in_time = collect(pid, result_read, error_read, deadline)
    kill_group(pid)
    _, status = os.waitpid(pid, 0)
    if not in_time:
        return {"failure": "timeout", "child": pid}
    returncode = os.waitstatus_to_exitcode(status)
    if returncode == 0:
        with contextlib.suppress(ValueError):
            return json.loads(output)
    stderr = errors[-STDERR_TAIL_BYTES:].decode(errors="replace")
    return {"failure": "exit", "child": pid, "returncode": returncode, "stderr": stderr}


def collect(pid: int, result_fd: int, error_fd: int, deadline: float) -> tuple[bytes, bytes, bool]:
    """The child's result and the tail of its stderr, read until it exits or the deadline."""
    output, errors = bytearray(), bytearray()
    open_fds = {result_fd: output, error_fd: errors}
    while open_fds:
        remaining = deadline - time.monotonic()
        ready = select.select(list(open_fds), [], [], max(remaining, 0))[0] if remaining > 0 else []
        if not ready:
            break
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                os.close(fd)
                del open_fds[fd]
            elif fd == error_fd:
                errors[:] = (errors + chunk)[-STDERR_TAIL_BYTES:]
            elif len(output) < MAX_REPLY_BYTES:
                output += chunk
    for fd in open_fds:
        os.close(fd)
    return bytes(output), bytes(errors), not open_fds and exited_before(pid, deadline)


def exited_before(pid: int, deadline: float) -> bool:
    """Whether the child exits by the deadline; it is not reaped, so its group stays killable."""
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.002)
    return True


def kill_group(pid: int) -> None:
    """The child and whatever it started (pdftoppm, tesseract, soffice) share its process group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# --------------------------------------------------------------------------------------------
# The child: one file
# --------------------------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1


def child_main(request: dict[str, Any], data: bytes, result_fd: int, error_fd: int) -> None:
    try:
        os.setpgid(0, 0)
        die_with_server()
        isolate_standard_streams(error_fd)
        limit_resources(request["memory_mb"], math.ceil(request["timeout"]))
        result = parse_one(request, data)
        with os.fdopen(result_fd, "wb") as result_file:
            result_file.write(json.dumps(result).encode())
    except BaseException:
        with contextlib.suppress(BaseException):
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
        os._exit(1)
    os._exit(0)


def die_with_server() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the server died before prctl took effect
        os._exit(1)


def isolate_standard_streams(error_fd: int) -> None:
    """The caller's pipes are the server's stdin and stdout: the child must not touch them."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(error_fd, 2)
    os.close(devnull)
    os.close(error_fd)
    logging.basicConfig(level=logging.ERROR, force=True)


def limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    memory_bytes = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # SIGXCPU at the soft limit, SIGKILL one second later if it is ignored.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def parse_one(request: dict[str, Any], data: bytes) -> dict[str, Any]:
    try:
        parsed = parse_resume(data, request["filename"], default_region=request["default_region"])
    except ParseError as error:
        return {"error": error.reason}
    except MemoryError:
        return {"error": memory_reason(request["memory_mb"])}
    return {"result": parsed.to_dict()}


if __name__ == "__main__":
    sys.exit(serve())
