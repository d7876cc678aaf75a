"""A broken copy of a configuration, and the problem lines `wijkbot check-rules` prints for it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.rulefiles.broken import UTRECHT, Check
from wijkbot.cli import main


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "gemeente"
    shutil.copytree(UTRECHT, target)
    return target


@pytest.fixture
def check_rules(capsys: pytest.CaptureFixture[str]) -> Check:
    """Run `wijkbot check-rules DIR`, expect it to fail without a traceback; the problem lines it printed."""

    def run(folder: Path) -> list[str]:
        code = main(["check-rules", str(folder)])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        assert code == 1, captured.out
        return [line[4:] for line in captured.err.splitlines() if line.startswith("  - ")]

    return run
