"""What every real-browser test shares: Debian's Chromium flags and where screenshots go.

The flags keep headless Chromium off the network it may not reach here (background fetches, component
updates, sync) and let it run as root in CI.
"""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
