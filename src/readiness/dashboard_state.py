"""Pure helpers between dashboard widgets and the core models (no Streamlit import here).

The questionnaire page keeps one widget per item under the key ``q_<item id>`` and the profile
under ``profile_<field>``. These functions turn those widget values into validated answers and a
:class:`~readiness.assessment.Profile`, with one message per field for the page to show next to
the widget, and back (to resume a draft or edit a saved assessment).

Widget value conventions:

- likert: the agreement 1-5 (int) or None;
- number: a float in the item's unit, or None;
- choice: the option id, or None;
- checklist: a list of option ids, with :data:`NONE_TICKED` meaning "answered, none of these";
  an empty list is unanswered.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import ValidationError

from readiness.answers import RespondentTable, check_answer
from readiness.assessment import JsonAnswer, Profile
from readiness.errors import InputError
from readiness.fitting import fit_auto, read_history_text, read_observations
from readiness.organization import FittedHistory
from readiness.projection import (
    LITERATURE_P,
    LITERATURE_Q,
    Preset,
    Scenario,
    calibrate_growth,
)
from readiness.questionnaire import Item, Questionnaire
from readiness.rules import RuleBook
from readiness.safe_output import escape_markdown  # noqa: F401 (re-exported)
from readiness.scoring import GroupScores, score_respondents
from readiness.store import Draft
from readiness.textfiles import decode_text

ITEM_PREFIX = "q_"
PROFILE_PREFIX = "profile_"
PROFILE_FIELDS = ("organization", "division", "sector", "size")
#: The checklist pseudo-option for "answered, and none of these apply".
NONE_TICKED = "none"
NONE_TICKED_LABEL = "None of these"

_FRIENDLY = {
    "string_too_short": "Enter a name.",
    "string_too_long": "Use at most 200 characters.",
    "literal_error": "Choose one of the listed options.",
}


def item_key(item_id: str) -> str:
    """Widget (and session state) key of an item."""
    return f"{ITEM_PREFIX}{item_id}"


def profile_key(field: str) -> str:
    return f"{PROFILE_PREFIX}{field}"


def _answer_from_widget(item: Item, value: Any) -> JsonAnswer:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if item.kind == "checklist":
        if not isinstance(value, list | tuple):
            return [str(value)]
        ticked = [str(v) for v in value]
        if not ticked:
            return None
        real = [v for v in ticked if v != NONE_TICKED]
        # "None of these" together with real options: the ticked options win.
        return real if real else []
    if item.kind in ("likert", "number") and isinstance(value, float) and value.is_integer():
        return int(value)  # 150, not 150.0, in messages and stored answers
    if isinstance(value, int | float | str):
        return value
    return str(value)


def answers_from_widgets(
    questionnaire: Questionnaire, values: Mapping[str, Any]
) -> dict[str, JsonAnswer]:
    """Answers keyed by item id from widget values keyed by :func:`item_key` (all items present)."""
    return {
        item.id: _answer_from_widget(item, values.get(item_key(item.id)))
        for item in questionnaire.items
    }


def answer_problems(
    questionnaire: Questionnaire, answers: Mapping[str, JsonAnswer]
) -> dict[str, str]:
    """Per item id, what is wrong with its answer (server-side: widgets can be bypassed)."""
    problems: dict[str, str] = {}
    for item in questionnaire.items:
        _, problem = check_answer(item, answers.get(item.id))
        if problem:
            problems[item.id] = problem
    return problems


def widgets_from_answers(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Widget values (keyed by :func:`item_key`) that show ``answers``.

    A number out of range is kept (the field shows it with its message); other answers a widget
    cannot show (an unknown option) are left out.
    """
    values: dict[str, Any] = {}
    for item in questionnaire.items:
        answer = answers.get(item.id)
        _, problem = check_answer(item, answer)
        if item.kind == "number" and isinstance(answer, int | float) and _finite_number(answer):
            values[item_key(item.id)] = float(answer)
        elif problem or answer is None:
            values[item_key(item.id)] = [] if item.kind == "checklist" else None
        elif item.kind == "checklist":
            ticked = [str(a).strip().lower() for a in answer]
            values[item_key(item.id)] = ticked or [NONE_TICKED]
        elif item.kind == "likert":
            values[item_key(item.id)] = int(answer)
        elif item.kind == "number":
            values[item_key(item.id)] = float(answer)
        else:
            values[item_key(item.id)] = str(answer).strip().lower()
    return values


def _finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def profile_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The profile fields from widget values, blank text as None."""
    result: dict[str, Any] = {}
    for field in PROFILE_FIELDS:
        value = values.get(profile_key(field))
        if isinstance(value, str):
            value = value.strip() or None
        result[field] = value
    return result


def profile_from_widgets(values: Mapping[str, Any]) -> tuple[Profile | None, dict[str, str]]:
    """Validate the profile with the pydantic model: ``(profile, {field: message})``."""
    data = profile_values(values)
    data["organization"] = data["organization"] or ""
    try:
        return Profile.model_validate(data), {}
    except ValidationError as error:
        problems: dict[str, str] = {}
        for detail in error.errors():
            field = str(detail["loc"][0]) if detail["loc"] else "profile"
            problems.setdefault(field, _FRIENDLY.get(detail["type"], detail["msg"]))
        return None, problems


def widgets_from_profile(profile: Profile | Mapping[str, Any]) -> dict[str, Any]:
    data = profile.model_dump() if isinstance(profile, Profile) else dict(profile)
    return {
        profile_key(f): data.get(f) or ("" if f in ("organization", "division") else None)
        for f in PROFILE_FIELDS
    }


def progress(
    questionnaire: Questionnaire, answers: Mapping[str, JsonAnswer]
) -> dict[str | None, tuple[int, int]]:
    """Answered and total items per dimension id (None: context items)."""
    counts: dict[str | None, tuple[int, int]] = {}
    for item in questionnaire.items:
        answered, total = counts.get(item.dimension, (0, 0))
        given = answers.get(item.id) is not None
        counts[item.dimension] = (answered + int(given), total + 1)
    return counts


def item_label(item: Item) -> str:
    """The question as its widget's label: the text, with a number item's unit and range."""
    if item.kind != "number" or item.bounds is None:
        return item.text
    unit = "%" if item.unit == "percent" else (item.unit or "")
    low, high = (f"{value:,g}" for value in (item.bounds.min, item.bounds.max))
    return f"{item.text} ({unit + ', ' if unit else ''}{low} to {high})"


def item_help(item: Item) -> str:
    """Why the question matters, with its source when it has one."""
    return f"{item.help}\n\nSource: {item.source}" if item.source else item.help


def has_started(profile: Profile | None, answers: Mapping[str, JsonAnswer]) -> bool:
    """Whether anything has been entered yet (a valid profile or one answer)."""
    return profile is not None or any(v is not None for v in answers.values())


def resume_offer(draft: Draft) -> tuple[str, str | None]:
    """The offer to resume a draft left behind in this browser: a headline (Markdown, no user
    text) and the organization line (user text, to be shown as plain text), if it has one."""
    when = draft.updated_at.strftime("%d %b %Y, %H:%M UTC")
    organization = draft.profile.organization if draft.profile else None
    line = f"Organization: {organization}" if organization else None
    return f"**You have an unsaved draft** from {when}.", line


def fingerprint(profile: Profile | None, answers: Mapping[str, JsonAnswer]) -> str:
    """A stable text for "has anything changed since the last autosave or submit?"."""
    data = [profile.model_dump(mode="json") if profile else None, dict(answers)]
    return json.dumps(data, sort_keys=True, default=str)


#: Problem rows kept for display: enough to act on, small enough to send to a browser.
MAX_PROBLEM_ROWS_SHOWN = 1000


@dataclass(frozen=True)
class SurveySummary:
    """What the survey page keeps of an upload: small results, not the 100k-row frames."""

    name: str
    rows: int
    bad_rows: int
    problems_total: int
    problem_table: pd.DataFrame  # row, field, problem (at most MAX_PROBLEM_ROWS_SHOWN rows)
    overall: GroupScores | None
    divisions: dict[str, GroupScores]
    overall_scores: npt.NDArray[np.float64]  # per respondent, 0-100, for the histogram
    column_note: str | None = None  # the ignored columns, named (user text: show escaped)


def summarize_survey(
    questionnaire: Questionnaire, rulebook: RuleBook, table: RespondentTable, name: str
) -> SurveySummary:
    """Score the valid rows of ``table`` and keep what the page shows."""
    good = table.without_bad_rows()
    batch = score_respondents(questionnaire, rulebook, good) if len(good) else None
    return SurveySummary(
        column_note=table.columns.note(),
        name=name,
        rows=len(table),
        bad_rows=int(table.bad_rows.sum()),
        problems_total=len(table.problem_table),
        problem_table=table.problem_table.head(MAX_PROBLEM_ROWS_SHOWN).reset_index(drop=True),
        overall=batch.overall if batch else None,
        divisions=batch.divisions if batch else {},
        overall_scores=(
            batch.respondents["overall"].to_numpy(dtype=float) if batch else np.empty(0)
        ),
    )


#: Column names of the survey page's division table, in words.
DIVISION_TABLE_COLUMNS = {
    "division": "Division",
    "respondents": "Respondents",
    "overall": "Overall (0-100)",
    "stage": "Stage",
    "agreement": "Agreement (r_wg)",
    "low agreement": "Low agreement",
}


def division_table(divisions: Mapping[str, GroupScores], limit: int = 200) -> pd.DataFrame:
    """Per-division results as the survey page shows them: column names in words, scores as
    whole numbers (0-100), agreement (r_wg, 0-1) to 2 decimals, low agreement as "yes"."""
    from readiness.charts import division_frame  # Altair is loaded where charts are drawn

    frame = division_frame(divisions, limit)
    if frame.empty:
        return pd.DataFrame(columns=list(DIVISION_TABLE_COLUMNS.values()))
    scores = [c for c in frame.columns if c not in DIVISION_TABLE_COLUMNS]
    for column in ["overall", *scores]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").round().astype("Int64")
    frame["agreement"] = pd.to_numeric(frame["agreement"], errors="coerce").round(2)
    frame["low agreement"] = frame["low agreement"].map({True: "yes", False: ""})
    ordered = ["division", "respondents", "overall", *scores, "stage", "agreement"]
    frame = frame[[*ordered, "low agreement"]]
    return frame.rename(columns={c: DIVISION_TABLE_COLUMNS.get(c, c) for c in frame.columns})


# --- growth scenarios: slider values <-> scenarios -------------------------------------------


@dataclass(frozen=True)
class GrowthControls:
    """The growth page's slider values in model units.

    Shares are 0-1 (the sliders show percent), years are calendar years, ``horizon`` is in
    years; ``growth_factor`` is this year's share over last year's, the AIIM reading (25% / 12.5%
    = 2). ``material_change`` is the share at which work changes in a way people notice.
    """

    start_share: float = 0.25
    start_year: int = 2009
    growth_factor: float = 2.0
    p: float = LITERATURE_P
    q: float = LITERATURE_Q
    ceiling: float = 1.0
    horizon: int = 10
    material_change: float = 0.5


@dataclass(frozen=True)
class GrowthSlider:
    """One growth slider, in slider units (percent for shares); ``key`` is also its URL name.

    Integer bounds make an integer slider, float bounds a float one.
    """

    key: str
    label: str
    low: int | float
    high: int | float
    default: int | float
    step: float | None = None
    format: str | None = None
    help: str | None = None


GROWTH_SLIDERS = (
    GrowthSlider("start_share", "Start share (%)", 1, 99, 25),
    GrowthSlider("start_year", "Start year", 1995, 2035, 2009),
    GrowthSlider(
        "g",
        "Growth factor per year",
        1.05,
        4.0,
        2.0,
        0.05,
        help="This year's share over last year's: 2 is doubling (AIIM: 25% after 12.5%).",
    ),
    GrowthSlider(
        "p",
        "Bass p (innovation)",
        0.001,
        0.1,
        LITERATURE_P,
        0.0005,
        format="%.4f",
        help="External influence per year; the literature mean is 0.03, often below 0.01.",
    ),
    GrowthSlider(
        "q",
        "Bass q (imitation)",
        0.0,
        1.0,
        LITERATURE_Q,
        0.01,
        help="Word of mouth per year; the literature mean is 0.38, usually 0.3-0.5.",
    ),
    GrowthSlider("ceiling", "Ceiling (%)", 5, 100, 100),
    GrowthSlider("horizon", "Horizon (years)", 1, 30, 10),
    GrowthSlider(
        "material",
        "Material change at (%)",
        5,
        100,
        50,
        help="The share at which work changes in a way people notice.",
    ),
)
#: Slider keys (also the URL query parameter names) and their defaults, in slider units.
GROWTH_DEFAULTS: dict[str, float | int] = {s.key: s.default for s in GROWTH_SLIDERS}


def controls_from_sliders(values: Mapping[str, Any]) -> GrowthControls:
    """Slider values (percent for shares) to :class:`GrowthControls` (shares 0-1)."""

    def get(key: str) -> float:
        value = values.get(key)
        return float(value) if isinstance(value, int | float) else float(GROWTH_DEFAULTS[key])

    return GrowthControls(
        start_share=get("start_share") / 100,
        start_year=round(get("start_year")),
        growth_factor=get("g"),
        p=get("p"),
        q=get("q"),
        ceiling=get("ceiling") / 100,
        horizon=round(get("horizon")),
        material_change=get("material") / 100,
    )


def sliders_from_preset(preset: Preset) -> dict[str, float | int]:
    """Slider values that reproduce ``preset`` (its growth factor from its earlier point)."""
    values: dict[str, float | int] = {
        "start_share": round(preset.start_share * 100),
        "start_year": round(preset.start_year),
        "ceiling": round(preset.ceiling * 100),
        "horizon": round(preset.horizon),
    }
    scenario = preset.scenario()
    if preset.calibrate_from is not None:
        years = preset.start_year - preset.calibrate_from.year
        values["g"] = round((preset.start_share / preset.calibrate_from.share) ** (1 / years), 2)
    elif scenario.g is not None:
        values["g"] = round(scenario.g, 2)
    if scenario.p is not None and scenario.q is not None:
        values["p"] = round(scenario.p, 4)
        values["q"] = round(scenario.q, 3)
    return values


def growth_scenarios(controls: GrowthControls) -> tuple[list[Scenario], list[str]]:
    """Scenarios to draw on one chart, and notes on what could not be drawn.

    Doubling (capped exponential) and logistic both pass through last year's share
    (``start_share / growth_factor``) and this year's; Bass uses the ``p`` and ``q`` sliders.
    The organization's own curve is not one of these: it is the organization projection
    (:mod:`readiness.organization`), drawn beside them.
    """
    c = controls
    notes: list[str] = []
    if c.start_share >= c.ceiling:
        return [], [f"The start share ({c.start_share:.0%}) must be below the ceiling."]
    common = {
        "start_year": float(c.start_year),
        "start_share": c.start_share,
        "ceiling": c.ceiling,
        "horizon": float(c.horizon),
        "step": "month",
    }
    scenarios = [
        Scenario(
            model="doubling",
            name=f"Exponential x{c.growth_factor:g}/year",
            g=c.growth_factor,
            **common,
        )
    ]
    earlier = c.start_share / c.growth_factor
    try:
        r = calibrate_growth(
            "logistic", c.start_year - 1, earlier, c.start_year, c.start_share, ceiling=c.ceiling
        )["r"]
        scenarios.append(Scenario(model="logistic", name=f"Logistic (r={r:.2f})", r=r, **common))
    except InputError as error:
        notes.extend(f"Logistic: {problem}" for problem in error.problems)
    scenarios.append(
        Scenario(model="bass", name=f"Bass (p={c.p:g}, q={c.q:g})", p=c.p, q=c.q, **common)
    )
    return scenarios, notes


def fit_history(data: bytes, name: str, unit: Literal["percent", "share"]) -> FittedHistory:
    """Read a ``period,value`` CSV (cumulative adoption), fit the best curve, band 10 years on."""
    # The command line's reading and checks: the same message for the same file, named as uploaded
    frame = read_history_text(decode_text(data, name), name)
    result = fit_auto(read_observations(frame, unit=unit, name=name))
    band = result.uncertainty(result.forecast_periods(10), kind="cumulative")
    how = {"bootstrap": "refit bootstrap", "covariance": "parameter covariance"}.get(band.method)
    return FittedHistory(
        model=result.model,
        r2=result.r2,
        curve=pd.DataFrame(
            {
                "year": band.periods,
                "fit": band.fit,
                "low": band.low80,
                "high": band.high80,
                "label": f"80% band of the {result.model} fit"
                + (f" ({how})" if how else " (none: the fit has no uncertainty estimate)"),
            }
        ),
        observed=pd.DataFrame({"year": result.observations.x, "share": result.observations.y}),
    )
