"""A separate process that runs the follow-up worker against a database until nothing is due (for tests).

Usage: python -m tests.support.followup_worker <database_url> <rules_dir> <locales_dir> <batch_size>
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from wijkbot.app import build
from wijkbot.settings import Settings


async def main(url: str, rules: str, locales: str, batch_size: int) -> None:
    settings = Settings(database_url=url, rules_dir=Path(rules), locales_dir=Path(locales),
                        _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings, migrate_db=False)
    bot.followups.batch_size = batch_size
    try:
        idle = 0
        while idle < 3:  # the other process may still hold rows: look a few more times
            idle = idle + 1 if await bot.followups.run_due() == 0 else 0
            await asyncio.sleep(0.05)
    finally:
        await bot.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
