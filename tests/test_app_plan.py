"""Plan page (AppTest): the plan as an editable table kept with the draft or the saved
assessment (and through autosave and save), problems named by row and field with the table
kept, the plan file, roles; the projected effect agreeing with Growth scenarios and Results;
measured usage checking a started action; survey waves compared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from app_harness import APP, TIMEOUT, open_page
from mapping_fixtures import scored_answers
from streamlit.testing.v1 import AppTest

from readiness.assessment import Assessment, Profile
from readiness.editing import DRAFT_PARAM
from readiness.plan.model import Plan, PlanAction, plan_text
from readiness.questionnaire import load_questionnaire
from readiness.store import open_store
from readiness.views.questionnaire import item_key, profile_key

PAGE = "pages/plan.py"
EDITOR = "plan_editor_0"
CHAMPIONS = {
    "Kind": "Champions network",
    "Start": "2027-03-01",
    "Divisions": "Sales",
    "Staff share (%)": 30,
}
TRAINING = {"Kind": "Training", "Start": "2027-06-01", "End": "2027-09-30"}
PLAN = Plan(
    actions=(
        PlanAction(
            kind="champions", start=dt.date(2027, 3, 1), divisions=("Sales",), staff_share=0.3
        ),
        PlanAction(kind="training", start=dt.date(2027, 6, 1), end=dt.date(2027, 9, 30)),
    )
)

pytestmark = pytest.mark.usefixtures("store_url")


def _rows(*rows: dict[str, Any]) -> dict[str, Any]:
    """The editor's state with ``rows`` added, as the browser sends it."""
    return {"edited_rows": {}, "added_rows": list(rows), "deleted_rows": []}


def _answered(at: AppTest) -> AppTest:
    """The questionnaire answered as :func:`scored_answers` says (Support is the barrier)."""
    at.switch_page("pages/questionnaire.py").run()
    questionnaire = load_questionnaire()
    for item_id, value in scored_answers().items():
        if questionnaire.item(item_id).kind == "number":
            at.session_state[item_key(item_id)] = float(value)
        else:
            at.session_state[item_key(item_id)] = int(value)
    at.session_state[profile_key("organization")] = "Plan Co"
    return at.run()


def _save_plan(at: AppTest, *rows: dict[str, Any]) -> AppTest:
    at.switch_page(PAGE).run()
    editor = next(str(d.key) for d in at.dataframe if str(d.key).startswith("plan_editor_"))
    at.session_state[editor] = _rows(*rows)
    at.run()
    at.button(key="plan_save").click().run()
    assert not at.exception, at.exception
    return at


def test_the_page_explains_the_kinds_and_starts_with_an_empty_table() -> None:
    at = open_page(PAGE)
    assert not at.exception, at.exception
    kinds = at.expander[0]
    assert "data/actions.yaml" in kinds.label
    explained = kinds.text[0].value
    assert "Champions network: Support +15 points in scope, lasting" in explained
    assert "Training: Support +8 points in scope, fading: the push halves every 6 months" in (
        explained
    )
    assert "Sources:" in explained
    table = next(d for d in at.dataframe if d.key == EDITOR)
    assert table.editing_mode == "dynamic"
    assert list(table.value.columns) == [
        "Kind",
        "Start",
        "End",
        "Divisions",
        "Staff share (%)",
        "Note",
    ]
    assert table.value.empty
    assert any("Answer the questionnaire" in i.value for i in at.info)
    assert any("Measured adoption" in i.value for i in at.info)


def test_a_plan_kept_with_the_draft_survives_autosave_and_the_save(store_url: str) -> None:
    at = _answered(open_page())
    at = _save_plan(at, CHAMPIONS, TRAINING)
    assert [s.value for s in at.success] == [
        "Plan saved. Kept with this draft: saving the assessment keeps it."
    ]
    draft_id = at.query_params[DRAFT_PARAM]
    with open_store(store_url) as store:
        draft = store.load_draft(draft_id)
        assert draft is not None
        assert draft.plan == PLAN
    # the table shows the kept plan
    shown = next(d for d in at.dataframe if d.key == "plan_editor_1").value
    assert list(shown["Kind"]) == ["Champions network", "Training"]
    assert list(shown["Divisions"]) == ["Sales", ""]

    # an answer changed on the questionnaire autosaves the draft: the plan stays with it
    at.switch_page("pages/questionnaire.py").run()
    at.session_state[item_key("su_sponsor")] = 4
    at.run()
    with open_store(store_url) as store:
        draft = store.load_draft(draft_id)
        assert draft is not None
        assert draft.answers["su_sponsor"] == 4
        assert draft.plan == PLAN
    save = next(b for b in at.button if b.label.startswith("Save assessment"))
    save.click().run()
    assert not at.exception, at.exception
    with open_store(store_url) as store:
        (summary,) = store.list_assessments()
        assert store.get_assessment(summary.id).assessment.plan == PLAN


def test_an_invalid_row_is_named_by_row_and_column_and_the_table_is_kept(
    store_url: str,
) -> None:
    at = _answered(open_page())
    bad = {**CHAMPIONS, "Staff share (%)": None}
    late = {**TRAINING, "End": "2027-05-01"}
    at = _save_plan(at, bad, late)
    problems = " ".join(e.value for e in at.error)
    assert "row 1, Staff share (%): needed when divisions are named" in problems
    assert "row 2, End: the end 2027-05-01 must be after the start 2027-06-01" in problems
    assert "Traceback" not in problems
    # what was typed is still in the table, and nothing was kept
    assert at.session_state[EDITOR]["added_rows"][0]["Divisions"] == "Sales"
    assert "plan" not in at.session_state or at.session_state["plan"] is None
    assert not at.success


@pytest.fixture
def saved(store_url: str) -> int:
    """A saved assessment (answered as :func:`scored_answers`), its id."""
    q = load_questionnaire()
    with open_store(store_url) as store:
        assessment = Assessment(
            profile=Profile(organization="Plan Co"),
            questionnaire_version=q.version,
            assessed_on=dt.date(2026, 12, 1),
            answers=dict(scored_answers()),
        )
        return int(store.save_assessment(assessment, "seed-plan"))


def _opened(assessment_id: int, page: str = PAGE) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["assessment"] = str(assessment_id)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_a_plan_kept_with_a_saved_assessment_is_its_next_version(
    store_url: str, saved: int
) -> None:
    at = _opened(saved)
    at = _save_plan(at, CHAMPIONS, TRAINING)
    assert [s.value for s in at.success] == [
        f"Plan saved. Kept with assessment {saved} as version 2."
    ]
    with open_store(store_url) as store:
        stored = store.get_assessment(saved)
        assert stored.version == 2
        assert stored.assessment.plan == PLAN
    # a new session (a reload) opens the assessment with its plan
    again = _opened(saved)
    shown = next(d for d in again.dataframe if d.key == EDITOR).value
    assert list(shown["Kind"]) == ["Champions network", "Training"]
    assert list(shown["Staff share (%)"].fillna(-1)) == [30.0, -1]


def test_a_plan_file_is_read_with_clear_errors_and_can_replace_the_plan(
    store_url: str, saved: int
) -> None:
    at = _opened(saved)
    uploader = at.file_uploader(key="plan_file")
    broken = "format: readiness-plan\nactions:\n  - kind: parties\n    start: 2027-03-01\n"
    uploader.upload("broken.yaml", broken.encode())
    at.run()
    message = " ".join(e.value for e in at.error)
    assert "broken.yaml: action 1: unknown kind 'parties'" in message
    at.file_uploader(key="plan_file").upload("plan.yaml", plan_text(PLAN).encode())
    at.run()
    assert any(t.value == "plan.yaml: 2 action(s)." for t in at.text)
    next(b for b in at.button if b.label == "Use this plan").click().run()
    assert not at.exception, at.exception
    with open_store(store_url) as store:
        assert store.get_assessment(saved).assessment.plan == PLAN
    download = next(b for b in at.get("download_button") if "Download the plan" in str(b.proto))
    assert download is not None


AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-cookie-secret-for-the-app-tests",
        "client_id": "readiness",
        "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


def test_a_viewer_sees_the_plan_read_only(
    store_url: str, saved: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with open_store(store_url) as store:
        store.set_plan(saved, PLAN)
    rules = '[[rule]]\nemail = "vera@plan.example"\nrole = "viewer"\norganizations = ["Plan Co"]\n'
    (tmp_path / "access.toml").write_text(rules)
    monkeypatch.setenv("READINESS_ACCESS_FILE", str(tmp_path / "access.toml"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets = AUTH
    at.user = {"is_logged_in": True, "email": "vera@plan.example", "name": "Vera"}
    at.query_params["assessment"] = str(saved)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    table = next(d for d in at.dataframe if d.key == EDITOR)
    assert table.editing_mode == "fixed"
    assert list(table.value["Kind"]) == ["Champions network", "Training"]
    assert not [b for b in at.button if b.label == "Save the plan"]
    assert not list(at.get("file_uploader"))
    assert any("Your role shows the plan" in c.value for c in at.caption)


def _fifty(frame: Any) -> dict[str, str]:
    """When each curve of a milestone table reaches 50% ("Oct 2031"), by curve."""
    column = next(c for c in frame.columns if "50%" in str(c))
    return dict(zip(frame["curve"], frame[column], strict=True))


def test_the_plan_says_the_same_on_plan_growth_results_and_the_report(store_url: str) -> None:
    from readiness.plan.effect import plan_effect_for
    from readiness.report import report_for
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment

    at = _save_plan(_answered(open_page()), CHAMPIONS, TRAINING)
    at.switch_page("pages/questionnaire.py").run()
    save = next(b for b in at.button if b.label.startswith("Save assessment"))
    save.click().run()
    with open_store(store_url) as store:
        (summary,) = store.list_assessments()
        stored = store.get_assessment(summary.id)
        report = report_for(stored, store.history("Plan Co", None), None)
    assessment = stored.assessment
    assert assessment.plan == PLAN
    scores = score_assessment(load_questionnaire(), load_rulebook(), assessment.answers)
    effect = plan_effect_for(scores, assessment.answers, assessment.assessed_on, PLAN)
    sentence = effect.sentence
    assert sentence.startswith("With the plan, 50% by about ")
    assert "earlier than without" in sentence

    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert sentence in [i.value for i in at.info]
    on_plan = _fifty(next(t.value for t in at.table if "curve" in t.value.columns))
    assert set(on_plan) == {"without the plan", "with the plan"}
    assert on_plan["with the plan"] != on_plan["without the plan"]

    at.switch_page("pages/growth.py").run()
    assert not at.exception, at.exception
    assert sentence in [i.value for i in at.info]
    on_growth = next(_fifty(t.value) for t in at.table if "with the plan" in set(t.value["curve"]))
    assert on_growth == on_plan

    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    assert sentence in [m.value for m in at.markdown]
    dates = (
        f"50% without the plan: {on_plan['without the plan']}; "
        f"with the plan: {on_plan['with the plan']}."
    )
    assert dates in [c.value for c in at.caption]

    assert sentence in report
    assert on_plan["with the plan"] in report
    assert on_plan["without the plan"] in report


def test_without_a_plan_results_invites_to_make_one() -> None:
    at = _answered(open_page())
    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    assert any(m.value.startswith("No plan yet: on the Plan page") for m in at.markdown)
    assert "Open the plan" in [link.proto.label for link in at.get("page_link")]


def _measured(at: AppTest) -> AppTest:
    """Usage of two divisions uploaded on Measured adoption: Sales speeds up from the
    champions launch (:mod:`plan_fixtures`)."""
    from plan_fixtures import usage_files

    events, roster = usage_files()
    at.switch_page("pages/measured.py").run()
    at.file_uploader(key="measured_files").upload("events.csv", events)
    at.file_uploader(key="measured_roster").upload("roster.csv", roster)
    at.run(timeout=120)
    assert not at.exception, at.exception
    return at


def test_a_started_action_is_checked_against_measured_usage_and_its_effect_kept(
    store_url: str,
) -> None:
    from plan_fixtures import LAUNCH

    at = open_page(PAGE)
    assert any(i.value.startswith("Upload usage exports on Measured adoption") for i in at.info)
    at = _measured(_answered(at))
    champions = {**CHAMPIONS, "Start": LAUNCH.isoformat(), "Staff share (%)": 50}
    at = _save_plan(at, champions, TRAINING)
    at.run(timeout=120)
    assert not at.exception, at.exception
    checked = " ".join(s.value for s in at.success).replace("\\", "")  # shown escaped
    assert "Champions network in Sales from " in checked
    assert "growth about 2." in checked
    headings = [m.value for m in at.markdown]
    assert "**2. Training, the whole organization, from Jun 2027**" in headings
    assert "Starts after the last measured month (Oct 2026)." in [t.value for t in at.text]
    assert any(m.label == "Growth while it holds" for m in at.metric)
    assert any("the plan's assumption is outside" in t.value for t in at.text)
    assert any(c.value.startswith("Against plain Bass: AIC -") for c in at.caption)
    keep = next(b for b in at.button if b.label == "Keep the measured effect in the plan")
    keep.click().run(timeout=120)
    assert not at.exception, at.exception
    kept = at.session_state["plan"].measured["champions"]
    assert 1.0 < kept.effect < 2.5
    assert kept.low < kept.effect < kept.high
    assert any("The plan keeps this measured effect" in c.value for c in at.caption)
    # the projected effect now uses the measured effect for the champions network
    assert any("measured: growth x" in str(d.value.to_dict()) for d in at.dataframe)


def test_survey_waves_are_compared_and_shown_on_one_timeline(store_url: str) -> None:
    from plan_fixtures import wave_csv

    sizes = {"Sales": 40, "Engineering": 40, "Finance": 40}
    at = _save_plan(_answered(open_page()), CHAMPIONS, TRAINING)
    first = wave_csv(sizes, "11/2/26 9:04:10")
    at.file_uploader(key="plan_wave_file_0").upload("wave-1.csv", first)
    at.run()
    assert at.date_input[0].value == dt.date(2026, 11, 2)  # from the completion times
    at.text_input(key="plan_wave_label_0").set_value("November wave")
    at.button(key="plan_wave_add").click().run()
    assert not at.exception, at.exception
    assert any("Wave 'November wave' added." in s.value for s in at.success)
    # the same label and date again is refused
    at.file_uploader(key="plan_wave_file_1").upload("wave-1.csv", first)
    at.run()
    at.text_input(key="plan_wave_label_1").set_value("November wave")
    at.button(key="plan_wave_add").click().run()
    assert "is in the plan already" in " ".join(e.value for e in at.error)

    later = wave_csv(sizes, "3/15/27 10:04:10", raised="Sales")
    at.file_uploader(key="plan_wave_file_1").upload("wave-2.csv", later)
    at.run()
    at.text_input(key="plan_wave_label_1").set_value("March wave")
    at.button(key="plan_wave_add").click().run()
    assert not at.exception, at.exception
    waves = at.session_state["plan"].waves
    assert [w.label for w in waves] == ["November wave", "March wave"]
    said = " ".join(i.value for i in at.info).replace("\\", "")  # shown escaped
    assert "Support +" in said
    assert "in Sales since the November wave" in said
    specs = [f"{n.proto.alt}\n{n.proto.spec}" for n in at.get("vega_lite_chart")]
    assert any("Champions network" in s and "March wave" in s for s in specs)
    at.selectbox(key="plan_wave_group").select("Sales").run()
    assert not at.exception, at.exception


def test_with_a_survey_in_this_session_divisions_are_chosen_and_it_can_be_a_wave(
    store_url: str,
) -> None:
    from plan_fixtures import wave_csv

    at = _answered(open_page())
    at.switch_page("pages/survey.py").run()
    survey = wave_csv({"Sales": 12, "Engineering": 12}, "11/2/26 9:04:10")
    at.file_uploader(key="survey_file").upload("survey.csv", survey)
    at.run(timeout=60)
    assert not at.exception, at.exception
    at = _save_plan(at, {**CHAMPIONS, "Divisions": ["Sales", "Engineering"]})
    assert at.session_state["plan"].actions[0].divisions == ("Sales", "Engineering")
    shown = next(d for d in at.dataframe if d.key == "plan_editor_1").value
    assert list(shown["Divisions"][0]) == ["Sales", "Engineering"]

    at.checkbox(key="plan_wave_use_0").check().run()
    assert any(t.value == "Survey: survey.csv" for t in at.text)
    assert at.date_input[0].value == dt.date(2026, 11, 2)
    at.button(key="plan_wave_add").click().run()
    assert not at.exception, at.exception
    (wave,) = at.session_state["plan"].waves
    assert wave.label == "Wave 1"
    assert wave.respondents == 24
    said = [i.value.replace("\\", "") for i in at.info]  # shown escaped
    assert any(s.startswith("One wave so far (Wave 1)") for s in said)


def test_markdown_in_a_division_name_is_shown_as_text() -> None:
    """A division named with Markdown (an image, a link, emphasis) reads as its characters in
    every message that names it: nothing is fetched, nothing links."""
    hostile = "![x](https://example.invalid/x.png) **Sales** [here](https://example.invalid)"
    early = {**CHAMPIONS, "Start": "2020-01-01", "Divisions": hostile}
    at = _save_plan(_answered(open_page()), early, TRAINING)
    assert not at.exception, at.exception
    shown = [
        e.value
        for kind in ("caption", "markdown", "info", "success", "warning", "error")
        for e in getattr(at, kind)
    ]
    assert any("before the assessment" in v for v in shown), shown  # the note names it
    assert not [v for v in shown if "](https://" in v or "**Sales**" in v]
