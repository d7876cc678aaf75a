"""Learning from history: reading exports, training, the CSV contract, and saving models safely."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.history import write_history
from wijkbot.cli import main
from wijkbot.domain.routing import Router
from wijkbot.domain.rules import RuleSet
from wijkbot.learning.build import train_models
from wijkbot.learning.history import HistoryError, load_history
from wijkbot.learning.model import LinearModel
from wijkbot.learning.router import LearnedRouter

UTRECHT = Path(__file__).resolve().parents[2] / "routing_rules" / "utrecht"

@pytest.fixture
def names(utrecht_rules: RuleSet) -> dict[str, str]:
    return {c.id: c.name for c in utrecht_rules.categories.values()}


def test_history_is_read_and_bad_rows_are_reported_with_their_line(tmp_path: Path, utrecht_rules: RuleSet,
                                                                  names: dict[str, str]) -> None:
    path = tmp_path / "export.csv"
    write_history(path, rows=10, extra=[["x1", "", "Straatverlichting kapot", "", ""],
                                        ["x2", "iets", "Onbekende categorie", "", ""]])
    history = load_history(path, utrecht_rules)
    assert len(history.examples) == 10
    assert history.problems == [
        "regel 12: lege tekst, overgeslagen",
        "regel 13: onbekende categorie 'Onbekende categorie' in deze configuratie, overgeslagen"]


def test_a_skipped_row_is_reported_at_the_line_it_starts_on(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    """A quoted text may hold line breaks: the beheerder looks for the row at the line of the file, not at
    its number among the rows."""
    path = tmp_path / "export.csv"
    path.write_text('\ntext,category\n"Lamp kapot,\nal twee weken\nbij de Kanaalstraat",Straatverlichting kapot\n'
                    ',Straatverlichting kapot\n\n\n"grofvuil",Onbekend\nlamp\n', encoding="utf-8")
    history = load_history(path, utrecht_rules)
    assert history.examples[0].text.startswith("Lamp kapot,\nal twee weken")
    assert history.problems == ["regel 6: lege tekst, overgeslagen",  # the file starts with an empty line
                                "regel 9: onbekende categorie 'Onbekend' in deze configuratie, overgeslagen",
                                "regel 10: geen categorie en geen team, overgeslagen"]  # a short row


def test_an_export_separated_by_semicolons_is_read(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    """Excel in a Dutch locale saves CSV with semicolons."""
    path = tmp_path / "excel.csv"
    path.write_text("text;category;street\nLamp kapot, al weken;Straatverlichting kapot;Kanaalstraat\n",
                    encoding="cp1252")
    history = load_history(path, utrecht_rules)
    assert [(e.text, e.category, e.street) for e in history.examples] == [
        ("Lamp kapot, al weken", "straatverlichting", "Kanaalstraat")]


def test_cp1252_export_is_read(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    path = tmp_path / "excel.csv"
    write_history(path, rows=4, encoding="cp1252", extra=[["c1", "Café één lamp donker", "Straatverlichting kapot",
                                                            "", ""]])
    history = load_history(path, utrecht_rules)
    assert history.encoding == "cp1252"
    assert history.examples[-1].text == "Café één lamp donker"


def test_excels_unicode_text_export_is_read(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    """Excel's "Unicode-tekst (*.txt)" is UTF-16 with a byte order mark, separated by tabs."""
    path = tmp_path / "excel.txt"
    path.write_text("text\tcategory\tstreet\nCafé één lamp donker\tStraatverlichting kapot\tKanaalstraat\n",
                    encoding="utf-16")
    history = load_history(path, utrecht_rules)
    assert history.encoding == "utf-16"
    assert [(e.text, e.category) for e in history.examples] == [("Café één lamp donker", "straatverlichting")]


@pytest.mark.parametrize(("content", "message"), [
    ("", "moet de kolommen noemen"),
    ("text,category\n", "geen bruikbare regels"),
    ("id,text\n1,hallo\n", "een kolom 'category' is nodig"),
    ("id,text,team\n1,hallo,Stadswerken West en Noordwest\n", "een kolom 'category' is nodig"),
])
def test_unusable_history_gives_a_clear_error(tmp_path: Path, utrecht_rules: RuleSet, content: str,
                                              message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HistoryError, match=message):
        load_history(path, utrecht_rules)


def test_the_model_learns_words_the_rules_do_not_know(tmp_path: Path, utrecht_rules: RuleSet,
                                                     names: dict[str, str]) -> None:
    path = tmp_path / "export.csv"
    write_history(path)
    router = Router(utrecht_rules)
    assert router.route("Het is erg donker bij de Kanaalstraat").suggested_category is None
    learned = LearnedRouter(router, train_models(load_history(path, utrecht_rules), router))
    decision = learned.route("Het is erg donker bij de Kanaalstraat")
    assert names[decision.suggested_category or ""] == "Straatverlichting kapot"
    assert any("geleerd van 40 eerdere meldingen" in reason for reason in decision.reasons)
    stinks = learned.route("Weer stinkend naast de Biltstraat")
    assert names[stinks.suggested_category or ""] == "Container vol of kapot"
    assert learned.route("Ik ruik gas in de Kanaalstraat").urgent  # the rules keep the last word on danger
    long = learned.route("donker " * 200_000)  # a 1.4 MB message: judged by its start, no crash
    assert long.suggested_category is not None




def test_an_unsure_model_says_what_it_leans_to_not_that_it_learned_it(tmp_path: Path, utrecht_rules: RuleSet,
                                                                      names: dict[str, str]) -> None:
    """"geleerd van 40 eerdere meldingen: X" reads like evidence; for a message the model is unsure of (triage)
    the reason says it only leans that way."""
    path = tmp_path / "export.csv"
    write_history(path)
    router = Router(utrecht_rules)
    learned = LearnedRouter(router, train_models(load_history(path, utrecht_rules), router))
    unsure = learned.route("Hallo, ik heb een vraag")
    assert unsure.triage
    learned_reason = next(r for r in unsure.reasons if r.startswith("geleerd van"))
    assert "lijkt het meest op" in learned_reason and "niet zeker genoeg" in learned_reason
    sure = learned.route("Het is erg donker bij de Kanaalstraat")
    assert not sure.triage
    assert f"geleerd van 40 eerdere meldingen: {names['straatverlichting']}" in sure.reasons

def test_the_rules_decide_what_the_model_never_learned(tmp_path: Path, utrecht_rules: RuleSet,
                                                       names: dict[str, str]) -> None:
    """A small export (street lights and bins only) must not pull a clear grofvuil or parking message into
    one of its two categories: the rules name a category the model does not know, so the rules decide."""
    path = tmp_path / "export.csv"
    write_history(path)
    router = Router(utrecht_rules)
    learned = LearnedRouter(router, train_models(load_history(path, utrecht_rules), router))
    for text, expected in [("Er ligt grofvuil naast de container op de Kanaalstraat", "grofvuil"),
                           ("Er staat een fout geparkeerde auto op de stoep in de Biltstraat", "foutparkeren")]:
        decision = learned.route(text)
        assert decision.suggested_category == expected
        assert decision.category == router.route(text).category
        assert f"het geleerde model kent {names[expected]} niet: de regels beslissen" in decision.reasons
    assert learned.route("Het is erg donker bij de Kanaalstraat").suggested_category == "straatverlichting"


def test_a_category_removed_from_the_rules_after_learning_never_breaks_routing(
        tmp_path: Path, utrecht_rules: RuleSet) -> None:
    """The beheerder removes a category the active model was trained on: its messages get the rules'
    decision (here: triage, no rule knows "donker"), not an error that stops intake."""
    path = tmp_path / "export.csv"
    write_history(path)
    models = train_models(load_history(path, utrecht_rules), Router(utrecht_rules))
    fewer = replace(utrecht_rules, categories={k: v for k, v in utrecht_rules.categories.items()
                                                if k != "straatverlichting"})
    decision = LearnedRouter(Router(fewer), models).route("Het is erg donker bij de Kanaalstraat")
    assert decision.triage and decision.category is None
    assert "het geleerde model past niet meer bij de regels: de regels beslissen" in decision.reasons

def test_model_file_round_trip_and_atomic_write(tmp_path: Path, utrecht_rules: RuleSet) -> None:
    path = tmp_path / "export.csv"
    write_history(path)
    router = Router(utrecht_rules)
    models = train_models(load_history(path, utrecht_rules), router)
    assert models.category is not None
    target = tmp_path / "models" / "category.npz"
    models.category.save(target)
    loaded = LinearModel.load(target)
    message = ("Het is erg donker", {})
    assert loaded.predict(message) == models.category.predict(message)
    assert [p.name for p in target.parent.iterdir()] == ["category.npz"]  # no temporary file left behind


def test_route_csv_contract(tmp_path: Path, utrecht_rules: RuleSet, capsys: pytest.CaptureFixture[str]) -> None:
    history, source, target = tmp_path / "h.csv", tmp_path / "in.csv", tmp_path / "out.csv"
    write_history(history)
    source.write_text("id,text,street,category\n"
                      "a,Het is echt donker bij de Croeselaan,Croeselaan,Container vol of kapot\n"
                      "b,,,\n"
                      "c,Hoe vraag ik een paspoort aan?,,\n", encoding="utf-8")
    code = main(["route", "--rules", str(UTRECHT), "--history", str(history), "--input", str(source),
                 "--output", str(target)])
    assert code == 0, capsys.readouterr().err
    with target.open(encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert [r["id"] for r in out] == ["a", "b", "c"]
    assert set(out[0]) == {"id", "kind", "category", "department", "team", "area", "confidence", "triage", "reasons"}
    assert out[0]["category"] == "Straatverlichting kapot"  # learned, and the label column in IN was ignored
    assert out[0]["area"] == "Zuidwest" and out[0]["team"]
    assert out[2]["department"] == "Publieksdienstverlening"
    assert out[1]["triage"] == "1"


def test_route_needs_text_or_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route"]) == 1
    assert "--input" in capsys.readouterr().err


def test_a_one_megabyte_message_in_the_input_is_routed(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    big = "De lantaarnpaal is kapot. " * 40_000  # about 1 MB in one field
    source.write_text(f'id,text\nbig,"{big}"\nsmall,grofvuil\n', encoding="utf-8")
    assert main(["route", "--rules", str(UTRECHT), "--input", str(source), "--output", str(target)]) == 0
    with target.open(encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert [r["id"] for r in out] == ["big", "small"]
    assert out[0]["category"] == "Straatverlichting kapot"
    # no place in either: the team is a guess until the place is known, and the reasons say so
    assert "wijk onbekend: voorlopig bij" in out[1]["reasons"]


def test_missing_input_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "--rules", str(UTRECHT), "--input", str(tmp_path / "nope.csv"),
                 "--output", str(tmp_path / "out.csv")]) == 1
    err = capsys.readouterr().err
    assert "nope.csv" in err and "Traceback" not in err


def test_a_team_name_shared_by_two_teams_is_resolved_by_the_category(tmp_path: Path) -> None:
    """In Katwijk one Handhaving team also handles fireworks town-wide: its name means two teams."""
    from wijkbot.rulefiles import load_rules

    katwijk = load_rules(UTRECHT.parent / "katwijk")
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "category", "team"])
        team = "Handhaving openbare ruimte Katwijk aan Zee"
        writer.writerow(["1", "vuurwerk in de nacht", "Vuurwerkoverlast", team])
        writer.writerow(["2", "auto op de stoep", "Overlast en handhaving", team])
        writer.writerow(["3", "iets zonder categorie", "", team])
    examples = load_history(path, katwijk).examples
    assert [(e.team, e.department) for e in examples] == [
        ("handhaving-vuurwerk", "vuurwerk"),
        ("handhaving-katwijk-aan-zee", "handhaving"),
        ("handhaving-katwijk-aan-zee", "handhaving"),  # without a category: the kern team
    ]


def test_a_fold_without_any_shared_word_gives_a_model_that_is_never_sure(utrecht_rules: RuleSet) -> None:
    """A small part of a history (a threshold fold) may share no feature at all: the model it gives routes
    nothing automatically (margin 0) instead of failing the whole training."""
    from wijkbot.learning.training import fit

    model = fit([("?", {}), ("!!", {}), ("🙂", {})], ["a", "b", "a"])
    label, margin, _ = model.predict(("lantaarnpaal kapot", {}))
    assert label in {"a", "b"} and margin == 0.0


def test_a_history_whose_texts_share_no_word_is_refused(utrecht_rules: RuleSet) -> None:
    """Enough rows with categories, but no word or place in two of them (symbols only): a model would only send
    everything to triage."""
    from wijkbot.learning.build import check_learnable
    from wijkbot.learning.history import Example, History

    examples = [Example(text=chr(0x2600 + i), street=None, pc4=None, town=None,
                        category="straatverlichting" if i % 2 else "grofvuil", department=None, team=None, line=i + 2)
                for i in range(40)]
    with pytest.raises(HistoryError, match="geen woord of plaats komt in twee meldingen voor"):
        check_learnable(History(examples=examples))
    few = History(examples=examples[:20] + [Example("lamp", None, None, None, "grofvuil", None, None)] * 5)
    with pytest.raises(HistoryError, match=r"te weinig .*: 25 \(20 uit de geschiedenis, 5 correcties uit de inbox\)"):
        check_learnable(few)


def test_rows_without_id_twice_the_same_id_or_without_text_are_named_and_still_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("id,text\na,grofvuil in de Kanaalstraat\na,lantaarnpaal kapot\n,er ligt afval\nb,\n",
                      encoding="utf-8")
    assert main(["route", "--rules", str(UTRECHT), "--input", str(source), "--output", str(target)]) == 0
    err = capsys.readouterr().err
    assert "regel 3: id 'a' staat ook op regel 2" in err
    assert "regel 4: geen id" in err
    assert "regel 5: lege tekst" in err
    assert "(let op: 3 regels hierboven)" in err
    with target.open(encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert [r["id"] for r in out] == ["a", "a", "", "b"]  # one output row per input row, in order
    assert (out[3]["category"], out[3]["triage"], out[3]["reasons"]) == ("", "1", "lege tekst: geen beslissing, "
                                                                                  "naar triage")
