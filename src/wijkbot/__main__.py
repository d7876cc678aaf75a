"""Allows `python -m wijkbot`."""

from wijkbot.cli import main

raise SystemExit(main())
