"""The quick loop (`pytest -m "not slow"`) leaves out every browser, fault and scale-out test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # a second pytest process, collecting only
def test_browser_fault_and_scaleout_tests_are_slow() -> None:
    folders = ["tests/browser", "tests/faults", "tests/scaleout"]

    def collected(*args: str) -> list[str]:
        command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        done = subprocess.run(
            [*command, *args, *folders], cwd=ROOT, capture_output=True, text=True, timeout=110
        )
        return [line for line in done.stdout.splitlines() if "::" in line]

    assert len(collected()) > 10
    assert collected("-m", "not slow") == []
