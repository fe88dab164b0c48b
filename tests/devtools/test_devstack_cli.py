"""The Makefile starts devtools/devstack.py two ways: as a module of the venv (`make run`, `make
test`) and as a plain script of the machine's Python (`make clean`, which needs no venv). A plain
script's folder leads sys.path, so a module there named as a standard library one would replace
it: subprocess imports selectors, and recruitment/selectors.py once took its place."""

import subprocess
import sys

import pytest

from devtools import devstack


@pytest.mark.parametrize(
    "command",
    [["devtools/devstack.py"], ["-m", "devtools.devstack"]],
    ids=["plain script", "module"],
)
def test_devstack_starts_without_interpreter_flags(command):
    result = subprocess.run(
        [sys.executable, *command, "--help"], cwd=devstack.PROJECT_DIR, capture_output=True,
        text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "{env,run,stop,chromium}" in result.stdout
