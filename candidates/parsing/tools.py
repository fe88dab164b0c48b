"""Running the system programs the parser relies on (pdftoppm, tesseract, soffice).

They run as children of the (sandboxed) parser, so they inherit its memory and CPU limits, and the
sandbox kills them with it. They get a minimal environment of their own: nothing of the caller's.
"""

import logging
import shutil
import subprocess
from pathlib import Path

logger = logging.getLogger(__name__)

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
# A backstop for calls outside the sandbox; inside it, the sandbox's own timeout comes first.
TOOL_TIMEOUT_SECONDS = 60


def find_tool(name: str) -> str | None:
    return shutil.which(name, path=SYSTEM_PATH)


def run_tool(
    arguments: list[str], *, home: Path, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes] | None:
    """Run a system program; None (and a log line) when it is missing, times out or fails."""
    program = find_tool(arguments[0])
    if program is None:
        logger.warning("%s is not installed", arguments[0])
        return None
    try:
        completed = subprocess.run(
            [program, *arguments[1:]],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=TOOL_TIMEOUT_SECONDS,
            cwd=home,
            env={"PATH": SYSTEM_PATH, "HOME": str(home), **(environment or {})},
        )
    except subprocess.TimeoutExpired:
        logger.warning("%s took longer than %s s", arguments[0], TOOL_TIMEOUT_SECONDS)
        return None
    if completed.returncode != 0:
        logger.warning(
            "%s exited with status %s: %s",
            arguments[0],
            completed.returncode,
            completed.stderr[-2000:].decode(errors="replace"),
        )
        return None
    return completed
