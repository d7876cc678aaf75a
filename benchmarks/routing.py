"""Routing benchmark: cross-validated accuracy on a labelled export, and the time per message.

Prints, for a municipality's rules and a labelled CSV (default: Katwijk's dev file beside the project):
  - rules only (no history): category and team accuracy over all rows;
  - with history, k-fold cross-validation: category and team accuracy, the share routed automatically and
    the category precision of what was routed automatically;
  - one message at a time, on messages the model was not trained on: p50/p99 per message;
  - the memory the trained model takes (RSS growth while building it).
Usage: python benchmarks/routing.py [--rules routing_rules/katwijk] [--data FILE.csv] [--folds 5]
"""

from __future__ import annotations

import argparse
import csv
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from wijkbot.domain.routing import Router  # noqa: E402
from wijkbot.learning.build import train_models  # noqa: E402
from wijkbot.learning.history import History, parse_rows  # noqa: E402
from wijkbot.learning.router import LearnedRouter  # noqa: E402
from wijkbot.learning.training import fold_indices  # noqa: E402
from wijkbot.rulefiles import load_rules  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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
    args = parser.parse_args()
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
    for number, held_out in enumerate(folds, start=1):
        held = set(held_out)
        history = parse_rows((rows[i] for i in range(len(rows)) if i not in held), columns, rules)
        learned = LearnedRouter(router, train_models(history, router))
        results.append(evaluate(learned, [rows[i] for i in held_out]))
        print(f"  fold {number}: category {results[-1]['category']:.3f} team {results[-1]['team']:.3f}", flush=True)
    mean = {k: statistics.mean(r[k] for r in results) for k in results[0]}
    print(f"with history ({args.folds}-fold CV): category {mean['category']:.3f}   team {mean['team']:.3f}   "
          f"(targets 0.72 / 0.80; Signalen's recipe 0.616 / 0.595)")
    print(f"routed automatically: {mean['auto_share']:.1%} at precision {mean['auto_precision']:.3f}   "
          f"(targets >= 60 % at >= 0.90)")
    # Time on messages the model and the caches have not seen: train on all but the last fold.
    held = set(folds[-1])
    router = Router(rules)
    history: History = parse_rows((rows[i] for i in range(len(rows)) if i not in held), columns, rules)
    gc.collect()
    before = rss_mb()
    learned = LearnedRouter(router, train_models(history, router))
    del history
    gc.collect()
    model_mb = rss_mb() - before
    timings = []
    for i in folds[-1]:
        row = rows[i]
        started = time.perf_counter_ns()
        learned.route(row["text"], row.get("street") or None, row.get("pc4") or None, row.get("town") or None)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    timings.sort()
    p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
    print(f"one message at a time: p50 {p50:.3f} ms   p99 {p99:.3f} ms   (targets 0.2 / 1 ms)")
    sizes = sum(m.coef.nbytes + m.intercept.nbytes + sum(b.idf.nbytes + 100 * len(b.vocabulary) for b in m.blocks)
                for m in (learned.models.category, learned.models.department) if m is not None) / 2**20
    print(f"model memory: ~{sizes:.0f} MB of weights and vocabularies; RSS grew {model_mb:.0f} MB while training "
          f"and holding it (target < 100 MB)")


if __name__ == "__main__":
    main()
