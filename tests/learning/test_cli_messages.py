"""What `wijkbot learn` and `wijkbot route` tell a beheerder, found wrong in a user trial: an output file that
is the input, error messages naming the temporary file or calling a folder a missing file, column names in
capitals, "too little history" that must say what keeps routing, Ctrl-C, check-rules in Dutch, and which model
the single-text route explains."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.history import write_history
from wijkbot.cli import main
from wijkbot.cli_learning import Interruption
from wijkbot.domain.rules import RuleSet
from wijkbot.learning.history import HistoryError, load_history

ROOT = Path(__file__).resolve().parents[2]
UTRECHT = ROOT / "routing_rules" / "utrecht"
DARK = "Het is hier erg donker bij de Kanaalstraat"  # "donker" is a word only the learned model knows


@pytest.fixture
def cli_db(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    monkeypatch.setenv("WIJKBOT_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("WIJKBOT_RULES_DIR", str(UTRECHT))
    return sqlite_url


def route(*args: str) -> int:
    return main(["route", "--rules", str(UTRECHT), *args])


def learn(*args: str) -> int:
    return main(["learn", "--rules", str(UTRECHT), *args])


def messages(tmp_path: Path) -> Path:
    source = tmp_path / "in.csv"
    source.write_text("id,text\na,De lantaarnpaal is kapot\nb,Grofvuil naast de container\n", encoding="utf-8")
    return source


def model_count(url: str) -> int:
    with sqlite3.connect(url.split(":///", 1)[1]) as conn:
        return int(conn.execute("select count(*) from routing_models").fetchone()[0])


# 1. The output file is the input file


def test_route_refuses_to_write_over_its_input_under_any_spelling(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = messages(tmp_path)
    before = source.read_bytes()
    (tmp_path / "link.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    for target in (source, tmp_path / "sub" / ".." / "in.csv", tmp_path / "link.csv", tmp_path / "hard.csv"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        # --history names a file that does not exist: the output is refused before anything is read.
        assert route("--history", str(tmp_path / "nope.csv"), "--input", str(source), "--output", str(target)) == 1
        err = capsys.readouterr().err
        assert "kies een ander uitvoerbestand" in err and "is het invoerbestand" in err, (target, err)
        assert "nope.csv" not in err
        assert source.read_bytes() == before
    # A symbolic link as the input, the file itself as the output: the same file too.
    assert route("--input", str(tmp_path / "link.csv"), "--output", str(source)) == 1
    assert "kies een ander uitvoerbestand" in capsys.readouterr().err
    assert source.read_bytes() == before


# 2. Messages name the path the user gave, never the temporary file


def test_an_output_folder_is_named_as_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "somedir"
    folder.mkdir()
    assert route("--input", str(messages(tmp_path)), "--output", str(folder)) == 1
    err = capsys.readouterr().err
    assert f"{folder}: is een map" in err
    assert ".tmp" not in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux /proc")
def test_an_output_where_no_file_can_be_made_is_named_as_given(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert route("--input", str(messages(tmp_path)), "--output", "/proc/version") == 1
    err = capsys.readouterr().err
    assert "/proc/version: op deze plek kan geen bestand worden gemaakt" in err
    assert ".tmp" not in err and "bestaat niet" not in err


def test_a_failed_write_names_the_output_and_leaves_no_temporary_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"
    real_replace = Path.replace

    def full_disk(self: Path, other: Path) -> Path:
        if self.name.endswith(".tmp"):
            raise OSError(28, "No space left on device", str(self))
        return real_replace(self, other)

    monkeypatch.setattr(Path, "replace", full_disk)
    assert route("--input", str(messages(tmp_path)), "--output", str(target)) == 1
    err = capsys.readouterr().err
    assert f"{target}: de schijf is vol" in err and ".tmp" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


# 3. A folder is a folder, not a missing file


def test_a_folder_given_as_a_file_is_called_a_folder(cli_db: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "somedir"
    folder.mkdir()
    source = messages(tmp_path)
    out = str(tmp_path / "out.csv")
    for command, wanted in ((["learn", "--history", str(folder)], "er is niets veranderd"),
                            (["route", "--history", str(folder), "--input", str(source), "--output", out], ""),
                            (["route", "--input", str(folder), "--output", out], "")):
        assert main([*command, "--rules", str(UTRECHT)]) == 1
        err = capsys.readouterr().err
        assert f"{folder}: " in err and "een map" in err and "bestaat niet" not in err, err
        assert wanted in err
    assert not (tmp_path / "out.csv").exists()


def test_a_missing_history_still_does_not_exist(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    with pytest.raises(HistoryError, match="bestaat niet"):
        load_history(tmp_path / "nope.csv", utrecht_rules)


# 4. Column names in capitals, with spaces around them


def test_history_columns_are_matched_without_capitals_or_spaces(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    path = tmp_path / "export.csv"
    write_history(path, rows=10)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,text,category,team,street"
    path.write_text("\n".join([" ID ,Text,CATEGORY , Team,Street", *lines[1:]]) + "\n", encoding="utf-8")
    history = load_history(path, utrecht_rules)
    assert len(history.examples) == 10 and not history.problems
    assert history.examples[0].team is not None and history.examples[0].street is not None

    semicolons = tmp_path / "excel.csv"
    semicolons.write_text("Text;Category\nDe lantaarnpaal is kapot;Straatverlichting kapot\n", encoding="utf-8")
    assert [e.category for e in load_history(semicolons, utrecht_rules).examples] == ["straatverlichting"]


def test_a_missing_column_is_named_with_the_columns_as_written(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Tekst,Category\nDe lantaarnpaal is kapot,Straatverlichting kapot\n", encoding="utf-8")
    with pytest.raises(HistoryError, match=r"gevonden: Tekst, Category"):
        load_history(path, utrecht_rules)


def test_route_input_columns_are_matched_without_capitals_or_spaces(tmp_path: Path) -> None:
    import csv

    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(" ID ;TEXT;Street ;PC4;Town\nx;Het licht is kapot;Kanaalstraat;;\n", encoding="utf-8")
    assert route("--input", str(source), "--output", str(target)) == 0
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["id"] == "x" and rows[0]["area"] == "West"


# 5. Too little history: say what is true


def test_route_with_too_little_history_says_nothing_was_routed(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    small, target = tmp_path / "small.csv", tmp_path / "out.csv"
    write_history(small, rows=29)
    assert route("--history", str(small), "--input", str(messages(tmp_path)), "--output", str(target)) == 1
    err = capsys.readouterr().err
    assert "te weinig meldingen" in err and "er is geen model geleerd en er is niets gerouteerd" in err
    assert "blijven routeren" not in err
    assert not target.exists()


def test_learn_with_too_little_history_says_what_stays_in_use(cli_db: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    small, good = tmp_path / "small.csv", tmp_path / "good.csv"
    write_history(small, rows=29)
    write_history(good, rows=80)
    assert learn("--history", str(small)) == 1
    err = capsys.readouterr().err
    assert "te weinig meldingen" in err
    assert "er is niets veranderd: er is geen model in gebruik, de regels blijven routeren" in err
    assert learn("--history", str(good)) == 0
    capsys.readouterr()
    assert learn("--history", str(small)) == 1
    err = capsys.readouterr().err
    assert "er is niets veranderd: het model dat in gebruik is (nr. 1), blijft in gebruik" in err
    assert "regels blijven routeren" not in err
    assert model_count(cli_db) == 1


# 6. Ctrl-C during `wijkbot learn`


def test_an_interruption_stops_the_training_and_says_nothing_changed(capsys: pytest.CaptureFixture[str]) -> None:
    interruption = Interruption()
    interruption.progress("kenmerken", 1, 2)  # not interrupted: the training goes on
    interruption.stays = "het model dat in gebruik is (nr. 4), blijft in gebruik"
    interruption.interrupted()
    assert capsys.readouterr().err.strip() == ("Afgebroken: er is niets veranderd; het model dat in gebruik is "
                                               "(nr. 4), blijft in gebruik.")
    with pytest.raises(Exception):  # noqa: B017  the training thread ends at its next step
        interruption.progress("kenmerken", 2, 2)


SIGINT_DEFAULT = ("import signal, sys\n"
                  "signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored\n"
                  "from wijkbot.cli import main\n"
                  "raise SystemExit(main(sys.argv[1:]))\n")


def test_ctrl_c_during_learn_exits_130_and_says_nothing_changed(tmp_path: Path) -> None:
    export, database = tmp_path / "big.csv", tmp_path / "w.db"
    write_history(export, rows=4000)  # several seconds of training
    env = os.environ | {"WIJKBOT_DATABASE_URL": f"sqlite:///{database}", "WIJKBOT_RULES_DIR": str(UTRECHT),
                        "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-c", SIGINT_DEFAULT, "learn", "--history", str(export)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once the file is read, before the training starts
        assert "4000 meldingen gelezen" in line, line
        time.sleep(0.3)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert "Afgebroken: er is niets veranderd; er is geen model in gebruik, de regels blijven routeren." in err
    assert "Traceback" not in err and "in gebruik:" not in out
    assert time.monotonic() - started < 30  # the training stopped; it did not run to its end first
    with sqlite3.connect(database) as conn:
        assert conn.execute("select count(*) from routing_models").fetchone()[0] == 0


# 7. check-rules speaks Dutch


def test_check_rules_counts_the_example_sentences_that_route_differently_in_dutch(
        tmp_path: Path, utrecht_rules: RuleSet, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "gemeente"
    shutil.copytree(UTRECHT, rules)
    path = rules / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("wijk: Noordwest", "wijk: Overvecht", 1),
                    encoding="utf-8")
    assert main(["check-rules", str(rules)]) == 1
    err = capsys.readouterr().err
    examples = sum(len(c.examples) for c in utrecht_rules.categories.values())
    assert f"wijkbot: 1 van de {examples} voorbeeldzinnen in {rules} komt anders uit dan in categories.yaml staat" \
        in err
    assert "example sentence" not in err and "route differently" not in err


# 8. Which model the single-text route explains


def test_the_single_text_route_uses_the_model_the_service_uses(cli_db: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    database = Path(cli_db.split(":///", 1)[1])
    assert route(DARK) == 0  # no database yet: the rules, and no database file is made
    shown = capsys.readouterr().out.rstrip().splitlines()
    assert shown[-1] == "model: geen, alleen de regels"
    assert shown[-2].startswith("regels: Gemeente Utrecht (") and shown[-2].endswith("utrecht)")  # whose rules
    assert not database.exists()

    sqlite3.connect(database).close()  # a database without the table: the rules, and nothing is created
    assert route(DARK) == 0
    assert capsys.readouterr().out.rstrip().splitlines()[-1] == "model: geen, alleen de regels"
    with sqlite3.connect(database) as conn:
        assert conn.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0] == 0
    database.unlink()

    export = tmp_path / "export.csv"
    write_history(export, rows=80)
    assert learn("--history", str(export)) == 0
    capsys.readouterr()

    assert route(DARK) == 0
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1] == "model: nr. 1 (in gebruik in de dienst, geleerd van 80 meldingen)"
    assert "geleerd van 40 eerdere meldingen: Straatverlichting kapot" in out

    assert route("--json", DARK) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"].startswith("nr. 1 ") and data["categorie"] == "Straatverlichting kapot"

    assert route("--rules-only", DARK) == 0
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1] == "model: geen, alleen de regels" and "geleerd van" not in out

    assert learn("--rules-only") == 0  # the service stops using the model, and so does the explanation
    capsys.readouterr()
    assert route(DARK) == 0
    assert capsys.readouterr().out.rstrip().splitlines()[-1] == "model: geen, alleen de regels"


def test_the_batch_route_says_what_it_routed_with(cli_db: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    export, source, target = tmp_path / "export.csv", tmp_path / "in.csv", tmp_path / "out.csv"
    write_history(export, rows=80)
    source.write_text(f"id,text\na,{DARK}\n", encoding="utf-8")
    assert learn("--history", str(export)) == 0  # a model in the database: the batch form does not use it
    capsys.readouterr()
    assert route("--input", str(source), "--output", str(target)) == 0
    assert capsys.readouterr().err.strip() == f"1 bericht gerouteerd naar {target} met alleen de regels"
    assert "geleerd van" not in target.read_text(encoding="utf-8")
    assert route("--history", str(export), "--input", str(source), "--output", str(target)) == 0
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == f"1 bericht gerouteerd naar {target} met een model geleerd van 80 meldingen"
    assert "geleerd van 40 eerdere meldingen" in target.read_text(encoding="utf-8")


def test_an_export_of_another_municipality_is_summed_up_not_listed_row_by_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = tmp_path / "andere-gemeente.csv"
    rows = [f"{i},Melding nummer {i} over de openbare ruimte,{'Meeuwenoverlast' if i % 3 else 'Strandafval'}"
            for i in range(30)]
    history.write_text("id,text,category\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["route", "--rules", str(UTRECHT), "--history", str(history), "lamp kapot"]) == 1
    err = capsys.readouterr().err
    assert err.count("in deze configuratie, overgeslagen") == 20  # the first 20 by line, then a count
    assert "en nog 10 regels overgeslagen" in err
    assert "het vaakst onbekend: onbekende categorie 'Meeuwenoverlast' (20 keer), onbekende categorie " \
           "'Strandafval' (10 keer)" in err
    assert "hoort dit bestand bij een andere gemeente? Kies de regels met --rules" in err
