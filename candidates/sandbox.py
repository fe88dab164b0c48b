"""Parse an uploaded resume in a separate, resource-limited process.

Untrusted PDF and DOCX files can make a parser use unbounded memory or CPU time (decompression
bombs, pathological page trees); parsing them in a child process with RLIMIT_AS, RLIMIT_CPU and a
wall-clock timeout keeps the calling web or worker process safe.

The child is `python -m candidates.sandbox`: it reads a one-line JSON header and the file bytes from
stdin and prints either a ParsedResume dict or {"error": reason} as JSON. It imports only
candidates.parsing (never Django).
"""

import argparse
import json
import logging
import math
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from candidates.parsing import ParsedResume, ParseError, parse_resume

REPO_ROOT = Path(__file__).resolve().parents[1]
# Nothing is inherited: the child reads untrusted files and needs none of the parent's secrets.
# PYTHONPATH keeps `candidates` importable even when the parent runs with safe-path mode (-P).
CHILD_ENVIRONMENT = {"PYTHONPATH": str(REPO_ROOT)}
MAX_HEADER_BYTES = 4096
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
    command = [
        sys.executable,
        "-m",
        "candidates.sandbox",
        "--memory-mb",
        str(memory_mb),
        "--cpu-seconds",
        str(math.ceil(timeout)),
    ]
    header = json.dumps({"filename": filename, "default_region": default_region}).encode() + b"\n"
    try:
        # run() kills the child when the timeout expires.
        completed = subprocess.run(
            command,
            input=header + data,
            capture_output=True,
            timeout=timeout,
            cwd=REPO_ROOT,
            env=CHILD_ENVIRONMENT,
        )
    except subprocess.TimeoutExpired:
        raise ParseError(
            f"Parsing took longer than {timeout:g} seconds; the file may be damaged or too complex."
        ) from None
    return result_from_child(completed, timeout=timeout, memory_mb=memory_mb)


def result_from_child(
    completed: subprocess.CompletedProcess[bytes], *, timeout: float, memory_mb: int
) -> ParsedResume:
    payload = decode_payload(completed.stdout) if completed.returncode == 0 else None
    if payload is None:
        logger.warning(
            "Resume parser child failed with exit status %s: %s",
            completed.returncode,
            completed.stderr[-2000:].decode(errors="replace"),
        )
        raise ParseError(failure_reason(completed, timeout=timeout, memory_mb=memory_mb))
    if "error" in payload:
        raise ParseError(str(payload["error"]))
    return ParsedResume.from_dict(payload)


def decode_payload(stdout: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(stdout)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def failure_reason(
    completed: subprocess.CompletedProcess[bytes], *, timeout: float, memory_mb: int
) -> str:
    if completed.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return (
            f"Parsing needed more than {timeout:g} seconds of processing; "
            "the file may be damaged or too complex."
        )
    if b"MemoryError" in completed.stderr:
        return memory_reason(memory_mb)
    return CRASH_REASON


def memory_reason(memory_mb: int) -> str:
    return (
        f"Parsing needed more than {memory_mb} MB of memory; "
        "the file may be damaged or a decompression bomb."
    )


# --------------------------------------------------------------------------------------------
# Child process
# --------------------------------------------------------------------------------------------


def limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    memory_bytes = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # SIGXCPU at the soft limit, SIGKILL one second later if it is ignored.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def child_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Parse one resume from stdin (internal).")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    args = parser.parse_args(argv)
    limit_resources(args.memory_mb, args.cpu_seconds)
    logging.basicConfig(level=logging.ERROR)

    header = json.loads(sys.stdin.buffer.readline(MAX_HEADER_BYTES))
    data = sys.stdin.buffer.read()
    try:
        result = parse_resume(
            data, header["filename"], default_region=header["default_region"]
        ).to_dict()
    except ParseError as error:
        result = {"error": error.reason}
    except MemoryError:
        result = {"error": memory_reason(args.memory_mb)}
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
