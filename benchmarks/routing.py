"""Routing benchmark: cross-validated accuracy on a labelled export, and the time per message.

Prints, for a municipality's rules and a labelled CSV (default: Katwijk's dev file beside the project):
  - rules only (no history): category and team accuracy over all rows;
  - with history, k-fold cross-validation: category and team accuracy, the share routed automatically and
    the category precision of what was routed automatically;
  - one message at a time, on messages the model was not trained on, each routed once (CPU time per message,
    p50/p99), with the street/pc4/town columns and with the text only (as a chat message comes in);
    to compare with an earlier commit, run this script of a checkout of that commit (git worktree) in turn
    with this one, a few times each: the machine is shared;
  - the model: its stored size, and the memory a fresh process needs to load it and build the router with its
    caches (RSS growth), as the service does when it installs the active model from the database.
Usage: python benchmarks/routing.py [--rules routing_rules/katwijk] [--data FILE.csv] [--folds 5]
                                    [--timing-only]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from wijkbot.domain.routing import Router  # noqa: E402
from wijkbot.learning.build import train_models  # noqa: E402
from wijkbot.learning.history import History, parse_rows  # noqa: E402
from wijkbot.learning.persist import from_bytes, to_bytes  # noqa: E402
from wijkbot.learning.router import LearnedRouter  # noqa: E402
from wijkbot.learning.training import fold_indices  # noqa: E402
from wijkbot.rulefiles import load_rules  # noqa: E402


def load_rss_mb(data: bytes, rules: str) -> float:
    """RSS growth of a fresh interpreter that loads the stored model and builds the learned router with its
    caches worked out (what the service holds), with no training leftovers in the heap."""
    with tempfile.NamedTemporaryFile(suffix=".npz") as handle:
        handle.write(data)
        handle.flush()
        script = (
            "import sys, gc; sys.path.insert(0, sys.argv[2]);"
            "from pathlib import Path;"
            "import numpy, wijkbot.learning.persist as p;"
            "from wijkbot.rulefiles import load_rules; from wijkbot.domain.routing import Router;"
            "from wijkbot.learning.router import LearnedRouter;"
            "rules = load_rules(sys.argv[3]); Router(rules);"
            "rss = lambda: int([l for l in Path('/proc/self/status').read_text().splitlines()"
            " if l.startswith('VmRSS:')][0].split()[1]) / 1024;"
            "gc.collect(); before = rss();"
            "m = LearnedRouter(Router(rules), p.from_bytes(Path(sys.argv[1]).read_bytes()));"
            "gc.collect(); print(rss() - before)"
        )
        out = subprocess.run([sys.executable, "-c", script, handle.name, str(ROOT / "src"), rules], check=True,
                             capture_output=True, text=True)
    return float(out.stdout.strip())


def time_each(route: Callable[..., object], rows: list[dict[str, str]], with_place: bool) -> list[float]:
    """CPU milliseconds per message, each routed once, in order."""
    timings = []
    for row in rows:
        place = (row.get("street") or None, row.get("pc4") or None, row.get("town") or None) if with_place else ()
        started = time.thread_time_ns()
        route(row["text"], *place)
        timings.append((time.thread_time_ns() - started) / 1e6)
    return timings


def report(label: str, timings: list[float], note: str = "") -> None:
    timings = sorted(timings)
    p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
    print(f"{label:58s} p50 {p50:.3f} ms   p99 {p99:.3f} ms   {note}".rstrip())


def evaluate(router: LearnedRouter, rows: list[dict[str, str]]) -> dict[str, float]:
    rules = router.rules
    right = team_right = auto = auto_right = 0
    for row in rows:
        d = router.route(row["text"], row.get("street") or None, row.get("pc4") or None, row.get("town") or None)
        category = rules.categories.get(d.category or d.suggested_category or "")
        team = rules.team_for(d.suggested_department or d.department, d.area.wijk)
        ok = category is not None and category.name == row["category"]
        right += ok
        team_right += team is not None and team.name == row["team"]
        if not d.triage:
            auto += 1
            auto_right += ok
    n = len(rows)
    return {"category": right / n, "team": team_right / n, "auto_share": auto / n,
            "auto_precision": auto_right / auto if auto else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", default=str(ROOT / "routing_rules" / "katwijk"))
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "eval" / "katwijk_dev.csv"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--timing-only", action="store_true", help="skip the cross-validation")
    parser.add_argument("--time-model", help=argparse.SUPPRESS)  # the timing itself, in a fresh process
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    parser.add_argument("--text-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_model:
        time_model(args)
        return
    rules = load_rules(args.rules)
    router = Router(rules)
    with open(args.data, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = set(rows[0])
    print(f"{len(rows)} labelled messages from {args.data}; rules {args.rules}")
    rules_only = evaluate(LearnedRouter(router), rows)
    print(f"rules only:        category {rules_only['category']:.3f}   team {rules_only['team']:.3f}   "
          f"(target: category >= 0.55)")
    folds = fold_indices([r["category"] for r in rows], args.folds)
    results = []
    for number, held_out in enumerate([] if args.timing_only else folds, start=1):
        held = set(held_out)
        history = parse_rows((rows[i] for i in range(len(rows)) if i not in held), columns, rules)
        learned = LearnedRouter(router, train_models(history, router))
        results.append(evaluate(learned, [rows[i] for i in held_out]))
        print(f"  fold {number}: category {results[-1]['category']:.3f} team {results[-1]['team']:.3f}", flush=True)
    if results:
        mean = {k: statistics.mean(r[k] for r in results) for k in results[0]}
        print(f"with history ({args.folds}-fold CV): category {mean['category']:.3f}   team {mean['team']:.3f}   "
              f"(targets 0.72 / 0.80; Signalen's recipe 0.616 / 0.595)")
        print(f"routed automatically: {mean['auto_share']:.1%} at precision {mean['auto_precision']:.3f}   "
              f"(targets >= 60 % at >= 0.90)")
    # Time on messages the model and the caches have not seen: train on all but the last fold, then route
    # with the model as the service uses it: stored as bytes and loaded in a fresh process (no training
    # leftovers in its heap), with a fresh rule router that works out the history's words when it is built.
    held = set(folds[-1])
    history: History = parse_rows((rows[i] for i in range(len(rows)) if i not in held), columns, rules)
    data = to_bytes(train_models(history, Router(rules)))
    del history
    print(f"one message at a time, CPU time, {len(folds[-1])} messages the model never saw, each routed once "
          f"(targets p50 <= 0.2 ms, p99 <= 1 ms):")
    with tempfile.NamedTemporaryFile(suffix=".npz") as handle:
        handle.write(data)
        handle.flush()
        for place in ("with street/pc4/town", "text only, as in a chat"):
            command = [sys.executable, __file__, "--time-model", handle.name, "--rules", args.rules,
                       "--data", args.data, "--folds", str(args.folds), "--label", f"{place}, now"]
            command += ["--text-only"] if place.startswith("text") else []
            print(subprocess.run(command, check=True, capture_output=True, text=True).stdout, end="")
    print(f"  (machine load while timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"model: {len(data) / 2**20:.1f} MB stored; loading it and building the router takes "
          f"{load_rss_mb(data, args.rules):.0f} MB in a fresh process (target < 100 MB)")


def time_model(args: argparse.Namespace) -> None:
    """In a fresh process: load the stored model as the service does and time the last fold's messages."""
    rules = load_rules(args.rules)
    with open(args.data, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    unseen = [rows[i] for i in fold_indices([r["category"] for r in rows], args.folds)[-1]]
    data = Path(args.time_model).read_bytes()
    started = time.perf_counter()
    learned = LearnedRouter(Router(rules), from_bytes(data))
    ready = time.perf_counter() - started
    report(f"  {args.label}:", time_each(learned.route, unseen, not args.text_only),
           f"(model installed in {ready:.2f} s)")


if __name__ == "__main__":
    main()
