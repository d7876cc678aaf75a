"""Learning in the running service: import history, retrain with the inbox's corrections, swap the model.

Corrections (an ambtenaar changes a case's category or hands it over) are used by a periodic re-training job,
not at once: one correction must not swing routing for everyone (labels carry noise, and an ambtenaar may
hand over for workload rather than subject), and the automatic-routing threshold must be chosen again on
held-out data so the promised precision keeps holding. The nightly job retrains only when corrections were
made since the active model was trained (a second correction of a case counts too), on the history that model
learned from (a model the beheerder chose again with `--activate` keeps its own); `wijkbot learn` retrains on
demand.

Invariants: a model is trained from what is in the database (imported history + corrections), or from a new
export with the corrections, off the event loop thread, and stored before it is used; an export replaces the
stored history only together with the model trained on it; a model is trained only from enough labelled
messages in at least two categories (`check_learnable`), so a few corrections never overrule the rules;
every process swaps to the active model (or to the rules alone when none is active) between batches (intake
reads `router` once per batch); a model that cannot be read is logged and ignored (the rules keep routing);
a retraining from the stored history is dropped when the active model changed while it trained (an import
or `--rules-only` in the meantime stands; two retrainings at once: the first to finish is kept).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.routing import Router, Routes
from wijkbot.domain.rules import RuleSet
from wijkbot.learning.history import Example, History, HistoryError
from wijkbot.learning.persist import ModelFormatError, from_bytes, to_bytes
from wijkbot.learning.router import LearnedModels, LearnedRouter
from wijkbot.ports import Clock
from wijkbot.storage import learning_rows
from wijkbot.storage.db import Database

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def _quiet(_step: str, _done: int, _total: int) -> None:
    return None


class ModelSuperseded(RuntimeError):
    """While a model was trained from the stored history, another model (or none) was made active."""


@dataclass(frozen=True, slots=True)
class TrainedModel:
    model_id: int
    history: int
    corrections: int
    labels: int
    threshold: float


class Learning:
    def __init__(self, db: Database, rules: RuleSet, router: Router, clock: Clock,
                 install: Callable[[Routes], None] = lambda _router: None) -> None:
        self.db = db
        self.rules = rules
        self.base = router
        self.clock = clock
        self.install = install  # hands the router to whoever routes (the intake)
        self.model_id: int | None = None
        self.name = rules.municipality.id
        # The active model could not be read (made by an older wijkbot, or damaged): train a new one from the
        # stored history at the next chance rather than routing with the rules alone until someone notices.
        self.stale = False

    async def learn_history(self, history: History, progress: Progress = _quiet,
                            source: str = "geschiedenis") -> TrainedModel:
        """Train on an imported history (with the inbox's corrections) and only then replace the stored history
        and store the model, in one transaction: an export that cannot be learned from changes nothing.
        HistoryError says why it cannot."""
        corrections, mark = await self._corrections()
        models = await asyncio.to_thread(_train, [*history.examples, *corrections], self.rules, progress)
        data = await asyncio.to_thread(to_bytes, models)  # before the write lock: megabytes to compress
        rows = [{"line": e.line, "text": e.text, "street": e.street, "pc4": e.pc4, "town": e.town,
                 "category": e.category, "department": e.department, "team": e.team} for e in history.examples]
        async with self.db.write() as conn:
            model_id = await self._store(conn, data, len(history.examples) + len(corrections), len(corrections),
                                         source, None, mark)
            await learning_rows.own_history(conn, model_id)
            await learning_rows.add_history(conn, self.name, rows, self.clock(), model_id)
        return self._use_trained(model_id, models, len(history.examples), len(corrections))

    async def retrain(self, progress: Progress = _quiet, source: str = "geschiedenis") -> TrainedModel:
        """Train on a stored history and the corrections, store the model, make it active and install it: the
        history the active model learned from (a model a beheerder chose again keeps its own), or the newest
        import when no model is active. HistoryError when they are not enough to learn from, or when the active
        model's history is no longer kept (the rules or the active model keep routing)."""
        async with self.db.read() as conn:
            before = await learning_rows.active_model(conn, self.name, with_data=False)
            history_id = (before["history_id"] if before is not None
                          else await learning_rows.newest_history(conn, self.name))
            stored = await learning_rows.history(conn, self.name, history_id)
        # A model that learned from an import whose rows are gone (pruned, or stored before migration 0009 and then
        # pruned) is not retrained on corrections alone.
        if before is not None and not stored and int(before["examples"]) > int(before["corrections"]):
            raise HistoryError(f"de geschiedenis waarvan model {before['id']} leerde, is niet meer bewaard: importeer "
                               "een export met --history om de correcties te leren")
        examples = [self._history_example(r) for r in stored]
        corrections, mark = await self._corrections()
        if not examples and not corrections:
            raise HistoryError("nog niets om van te leren: geef --history met een CSV-export van eerdere meldingen")
        models = await asyncio.to_thread(_train, [*examples, *corrections], self.rules, progress)
        data = await asyncio.to_thread(to_bytes, models)  # before the write lock: megabytes to compress
        async with self.db.write() as conn:
            # Training takes a while: a beheerder may have imported a new export or switched models off
            # meanwhile. Their choice stands; this model, of what was stored before, is dropped.
            current = await learning_rows.active_model(conn, self.name, with_data=False)
            if (current and current["id"]) != (before and before["id"]):
                raise ModelSuperseded("tijdens het leren is een ander model (of geen model) in gebruik genomen; "
                                      "dit model is niet opgeslagen")
            model_id = await self._store(conn, data, len(examples) + len(corrections), len(corrections), source,
                                         history_id, mark)
        return self._use_trained(model_id, models, len(examples), len(corrections))

    async def _store(self, conn: AsyncConnection, data: bytes, examples: int, corrections: int, source: str,
                     history_id: int | None, mark: int) -> int:
        """Store a trained model as the active one, in the caller's transaction; returns its id."""
        if history_id is not None:  # a retraining (an import's own model has none yet): name what it learned from
            source = await self._history_name(conn, history_id, source)
        label = (f"{source} + {corrections} {'correctie' if corrections == 1 else 'correcties'} uit de inbox"
                 if corrections else source)
        return await learning_rows.save_model(conn, rules_name=self.name, data=data, examples=examples,
                                              corrections=corrections, source=label, now=self.clock(),
                                              history_id=history_id, corrections_until=mark)

    async def _history_name(self, conn: AsyncConnection, history_id: int, source: str) -> str:
        """What a retraining learned from, for `wijkbot learn --list`: "nachtelijke hertraining, geschiedenis van
        model 1 (export.csv)", so a beheerder sees it kept the history of the model they chose."""
        imported = next((m for m in await learning_rows.models(conn, self.name) if m["id"] == history_id), None)
        if imported is None:
            return f"{source}, geschiedenis van model {history_id}"
        origin = str(imported["source"]).split(" + ")[0]
        return f"{source}, geschiedenis van model {history_id} ({origin})"

    def _use_trained(self, model_id: int, models: LearnedModels, history: int, corrections: int) -> TrainedModel:
        """Install a model once it is stored (committed), and say what it learned from."""
        self._use(model_id, models)
        log.info("routing model %s trained on %s examples (%s corrections)", model_id, history + corrections,
                 corrections)
        assert models.category is not None  # check_learnable: there are categories to learn
        return TrainedModel(model_id, history, corrections, len(models.category.labels), models.category.threshold)

    async def _corrections(self) -> tuple[list[Example], int]:
        """The inbox's corrections (to known departments) as examples, and the newest correction event they
        include (read together, so a correction made meanwhile is learned by the next retraining)."""
        async with self.db.read() as conn:
            # The mark first: a correction committed between the two reads (PostgreSQL reads each statement
            # afresh) is then learned now and again next night, never marked as learned without being learned.
            mark = await learning_rows.correction_mark(conn)
            corrected = await learning_rows.corrections(conn)
        return [self._correction(r) for r in corrected if r["department"] in self.rules.departments], mark

    def _history_example(self, row: Any) -> Example:
        """A stored row of an imported history, with the labels this configuration still knows."""
        category = row["category"] if row["category"] in self.rules.categories else None
        department = row["department"] if row["department"] in self.rules.departments else None
        team = row["team"] if any(t.id == row["team"] for t in self.rules.teams) else None
        return Example(text=row["text"], street=row["street"], pc4=row["pc4"], town=row["town"], category=category,
                       department=department, team=team, line=int(row.get("line") or 0))

    def _correction(self, row: Any) -> Example:
        """A corrected case: its first message with its current labels. Handed over without a new category,
        the category is what was wrong, so only the department (and team) is learned from it."""
        team = row["team"] if any(t.id == row["team"] for t in self.rules.teams) else None
        category = self.rules.categories.get(row["category"] or "")
        if category is not None and category.department != row["department"]:
            category = None
        return Example(text=row["text"], street=row["street"], pc4=row["pc4"], town=row["town"],
                       category=category.id if category else None, department=row["department"], team=team)

    async def retrain_if_corrected(self) -> TrainedModel | None:
        """The nightly job: retrain when the inbox made corrections since the active model was trained, or
        when the active model cannot be used (also run once at start-up then)."""
        if self.stale:  # installing the new model clears it
            source = "opnieuw getraind: het vorige model was niet bruikbaar"
        else:
            async with self.db.read() as conn:
                active = await learning_rows.active_model(conn, self.name, with_data=False)
                mark = await learning_rows.correction_mark(conn)
            # (A model stored before migration 0009 has no mark: it is retrained once when there are corrections.)
            if active is None or mark == (active["corrections_until"] or 0):
                return None
            source = "nachtelijke hertraining"
        try:
            return await self.retrain(source=source)
        except (HistoryError, ModelSuperseded) as error:
            log.warning("routing model not retrained: %s", error)
            return None

    async def refresh(self) -> bool:
        """Install the active model if it is not the one in use (another process or `wijkbot learn` made it), or
        the rules alone when no model is active any more."""
        async with self.db.read() as conn:
            active = await learning_rows.active_model(conn, self.name, with_data=False)
            if active is None and self.model_id is not None:
                # `wijkbot learn --rules-only`: back to the rules alone (and no retraining of a stale model).
                self.model_id = None
                self.stale = False
                self.install(LearnedRouter(self.base))
                log.info("no routing model in use: the rules route")
                return True
            if active is None or active["id"] == self.model_id:
                return False
            row = await learning_rows.active_model(conn, self.name)
        assert row is not None
        try:
            models = from_bytes(row["data"])
        except ModelFormatError as error:
            log.error("routing model %s cannot be used (%s); routing with the rules until it is trained again "
                      "from the stored history", row["id"], error)
            self.model_id = int(row["id"])  # do not retry every tick
            self.stale = True
            return False
        self._use(int(row["id"]), models)
        log.info("routing model %s in use", row["id"])
        return True

    def _use(self, model_id: int, models: LearnedModels) -> None:
        self.model_id = model_id
        self.stale = False
        self.install(LearnedRouter(self.base, models))


def _train(examples: Sequence[Example], rules: RuleSet, progress: Progress) -> LearnedModels:
    from wijkbot.learning.build import train_models  # scipy and scikit-learn load only when training

    # A router of its own: the rule router's typo caches are not shared with the event loop's thread.
    return train_models(History(examples=list(examples)), Router(rules), progress)
