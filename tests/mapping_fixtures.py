"""A calibrated lever mapping whose top lever differs from the assumed mapping's, kept as an
assessment's choice: for tests that every surface follows the mapping in use."""

from __future__ import annotations

from readiness.evidence.choice import MappingChoice
from readiness.evidence.drivers import DivisionMap, DivisionPair
from readiness.levers import LeverMapping, load_levers
from readiness.questionnaire import load_questionnaire


def calibrated_mapping() -> LeverMapping:
    """Grassroots drives p and q, Tooling the ceiling; Support moves nothing, and no dimension
    limits the rates (so a low Support is no barrier)."""
    data = load_levers().model_dump()
    data["source"] = "Calibrated on 12 divisions' measured adoption (test)."
    data["effects"] = [
        {"dimension": "grassroots", "parameter": "p", "weight": 1.0, "rationale": "test"},
        {"dimension": "grassroots", "parameter": "q", "weight": 1.0, "rationale": "test"},
        {"dimension": "tooling", "parameter": "ceiling", "weight": 1.0, "rationale": "test"},
    ]
    data["limiting"] = None
    return LeverMapping.model_validate(data)


def calibrated_choice(use: str = "calibrated") -> MappingChoice:
    """The choice an assessment keeps after the Evidence page offered :func:`calibrated_mapping`."""
    return MappingChoice(
        use="calibrated" if use == "calibrated" else "assumed",
        division_map=DivisionMap(pairs=(DivisionPair(survey="Sales", measured="Sales & Mktg"),)),
        calibrated=calibrated_mapping(),
        method="Penalised least squares (test).",
        divisions=12,
    )


def scored_answers() -> dict[str, int | float]:
    """Every agreement item answered (Grassroots 3, Support 2, Tooling 4) and 12% active:
    Support is the assumed mapping's top lever, Grassroots the calibrated one's."""
    levels = {"gr": 3, "su": 2, "to": 4}
    answers: dict[str, int | float] = {
        item.id: levels.get(item.id[:2], 3)
        for item in load_questionnaire().items
        if item.kind == "likert"
    }
    answers["gr_active_share"] = 12
    return answers
