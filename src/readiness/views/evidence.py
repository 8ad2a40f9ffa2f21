"""What the Evidence page shows: the survey's divisions paired with measured adoption's, the
survey's scale quality, the drivers of measured adoption, the levers each mapping implies, each
division's predicted against measured curve, and the choice of mapping kept with the
assessment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from readiness.charts import predicted_measured_chart, weights_chart
from readiness.errors import InputError
from readiness.evidence.calibration import (
    Calibration,
    CurveComparison,
    LeverRanking,
    calibrate_levers,
    compare_curves,
    lever_rankings,
)
from readiness.evidence.choice import (
    ASSUMED_WORDS,
    MappingChoice,
    MappingName,
    calibrated_words,
    mapping_in_use,
)
from readiness.evidence.drivers import (
    OUTCOME_LABELS,
    DivisionMap,
    DivisionMatch,
    DivisionPair,
    DriverAnalysis,
    SurveyDivisions,
    match_divisions,
    measured_drivers,
    shown_name,
    survey_divisions,
)
from readiness.evidence.survey_evidence import SurveyEvidence, survey_evidence

if TYPE_CHECKING:
    import altair as alt

    from readiness.answers import RespondentTable
    from readiness.questionnaire import Questionnaire
    from readiness.rules import RuleBook
    from readiness.usage.measure import MeasuredAdoption

SURVEY_COLUMN = "survey division"
MEASURED_COLUMN = "measured division"
#: The words of the choice offered when a calibration is strong enough.
USE_CALIBRATED = "Use the calibrated mapping"

__all__ = [
    "ASSUMED_WORDS",
    "MEASURED_COLUMN",
    "SURVEY_COLUMN",
    "USE_CALIBRATED",
    "EvidenceView",
    "division_rows",
    "evidence_view",
    "map_from_rows",
    "mapping_in_use",
    "mapping_words",
    "read_survey",
    "read_usage",
    "survey_groups",
]


def division_rows(
    survey_names: Sequence[str], measured_names: Sequence[str], names: DivisionMap | None
) -> pd.DataFrame:
    """One row per survey division with the measured division paired with it (the user's
    pairs, then the suggestions by name; empty where none), for the page's editor."""
    try:
        match = match_divisions(survey_names, measured_names, names)
    except InputError:  # a kept map that no longer fits these files: start from suggestions
        match = match_divisions(survey_names, measured_names, None)
    paired = match.names.as_dict()
    return pd.DataFrame(
        {
            SURVEY_COLUMN: list(survey_names),
            MEASURED_COLUMN: [paired.get(name, "") for name in survey_names],
        },
        dtype=object,
    )


def map_from_rows(rows: pd.DataFrame, measured_names: Sequence[str]) -> DivisionMap:
    """The division-name map of the editor's rows: pairs whose measured division is one of
    ``measured_names`` (an empty cell leaves the survey division unpaired); :class:`InputError`
    when a measured division is chosen twice."""
    known = set(measured_names)
    pairs = [
        DivisionPair(survey=str(row[SURVEY_COLUMN]), measured=str(row[MEASURED_COLUMN]))
        for _, row in rows.iterrows()
        if isinstance(row[MEASURED_COLUMN], str) and row[MEASURED_COLUMN] in known
    ]
    seen: set[str] = set()
    for pair in pairs:
        if pair.measured in seen:
            raise InputError(
                f"measured division {shown_name(pair.measured)} is paired with more than one"
                " survey division"
            )
        seen.add(pair.measured)
    return DivisionMap(pairs=tuple(pairs))


@dataclass(frozen=True)
class EvidenceView:
    """Everything the page draws from one survey, one set of usage exports and one map."""

    survey: SurveyEvidence
    drivers: DriverAnalysis
    calibration: Calibration
    rankings: tuple[LeverRanking, LeverRanking]
    curves: CurveComparison
    names: DivisionMap

    @property
    def match(self) -> DivisionMatch:
        return self.drivers.match

    @property
    def offered(self) -> bool:
        return self.calibration.offered

    def weights_frame(self) -> pd.DataFrame:
        """The dimensions' relative weights per outcome with their intervals (0-1)."""
        rows = []
        for outcome, weights in self.drivers.dimensions.items():
            for w in weights.weights:
                rows.append(
                    {
                        "outcome": OUTCOME_LABELS[outcome],
                        "dimension": w.name,
                        "weight": w.rescaled,
                        "low": w.rescaled_low,
                        "high": w.rescaled_high,
                    }
                )
        return pd.DataFrame(rows, columns=["outcome", "dimension", "weight", "low", "high"])

    def weights_chart(self) -> alt.Chart | None:
        frame = self.weights_frame()
        return weights_chart(frame) if not frame.empty else None

    def ranking_frame(self) -> pd.DataFrame:
        """The levers each mapping ranks, side by side (best first; months earlier), by the
        dimensions' names."""
        assumed, calibrated = self.rankings
        names = self.drivers.dimension_names
        rows = []
        for rank, (a, c) in enumerate(zip(assumed.steps, calibrated.steps, strict=True), 1):
            rows.append(
                {
                    "rank": rank,
                    "assumed mapping": names.get(a.dimension, a.dimension),
                    "months earlier (assumed)": _months(a.months_earlier),
                    "calibrated mapping": names.get(c.dimension, c.dimension),
                    "months earlier (calibrated)": _months(c.months_earlier),
                }
            )
        return pd.DataFrame(rows)

    def curves_frame(self) -> pd.DataFrame:
        """Each division's measured shares and each mapping's prediction, long form."""
        rows: list[dict[str, Any]] = []
        for division in self.curves.divisions:
            for year, share in zip(division.periods, division.measured, strict=True):
                rows.append(
                    {
                        "division": division.division,
                        "year": year,
                        "share": share,
                        "curve": "measured",
                    }
                )
            for curve in division.predicted:
                rows.extend(
                    {
                        "division": division.division,
                        "year": year,
                        "share": share,
                        "curve": f"{curve.mapping} mapping",
                    }
                    for year, share in zip(division.periods, curve.shares, strict=True)
                )
        return pd.DataFrame(rows, columns=["division", "year", "share", "curve"])

    def curves_chart(self) -> alt.Chart | None:
        frame = self.curves_frame()
        return predicted_measured_chart(frame) if not frame.empty else None

    def numbers_frame(self) -> pd.DataFrame:
        """The calibrated mapping's numbers with their intervals, in words."""
        return pd.DataFrame(
            {
                "number": [n.label for n in self.calibration.numbers],
                "calibrated (95% interval; assumed)": [
                    n.describe() for n in self.calibration.numbers
                ],
                "differs from the assumption": [
                    "yes" if n.moved else "" for n in self.calibration.numbers
                ],
            }
        )

    def choice(self, use: MappingName) -> MappingChoice:
        """The choice to keep with the assessment: ``use`` ("calibrated" only when offered)."""
        return MappingChoice.from_calibration(
            self.calibration,
            division_map=self.names,
            use=use if self.offered else "assumed",
        )

    def calibrated_words(self) -> str:
        return calibrated_words(self.choice("calibrated"))


def _months(value: float | None) -> str:
    return "not within the horizon" if value is None else f"{value:.0f}"


def survey_groups(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    table: RespondentTable,
    min_group_size: int | None = None,
) -> SurveyDivisions:
    """The survey's divisions as every surface shows them (small ones merged)."""
    return survey_divisions(questionnaire, rulebook, table, min_group_size)


def evidence_view(
    questionnaire: Questionnaire,
    table: RespondentTable,
    survey: SurveyDivisions,
    measured: MeasuredAdoption,
    names: DivisionMap,
    organization_scores: Mapping[str, float | None],
    *,
    survey_name: str = "survey",
    start_share: float = 0.05,
) -> EvidenceView:
    """The evidence of a respondents table (its ``survey`` groups) and measured adoption
    joined by ``names``: scale quality, drivers, calibration, the lever ranking of each mapping
    for the organization's ``organization_scores`` (0-100) from ``start_share`` (0-1), and the
    curves compared."""
    drivers = measured_drivers(survey, measured, names)
    calibration = calibrate_levers(drivers.divisions)
    rankings = lever_rankings(
        calibration,
        {k: (50.0 if v is None else v) for k, v in organization_scores.items()},
        start_share=start_share,
        draws=200,
    )
    return EvidenceView(
        survey=survey_evidence(questionnaire, table, survey_name, survey.minimum),
        drivers=drivers,
        calibration=calibration,
        rankings=rankings,
        curves=compare_curves(calibration, drivers.divisions),
        names=names,
    )


def read_survey(questionnaire: Questionnaire, data: bytes, name: str) -> RespondentTable:
    """A respondents CSV as Survey upload reads it (:class:`InputError` naming rows)."""
    from readiness.survey import read_respondents_csv

    return read_respondents_csv(questionnaire, data, name)


def read_usage(
    exports: Sequence[tuple[bytes, str]], roster: tuple[bytes, str] | None
) -> MeasuredAdoption:
    """Usage exports measured against a roster, as Measured adoption measures them with its
    default settings."""
    from readiness.usage.measure import measure_files, read_roster

    people = read_roster(*roster) if roster is not None else None
    if people is None:
        raise InputError("a roster is needed: it says which division each person is in")
    return measure_files(list(exports), roster=people)


def mapping_words(choice: MappingChoice | None) -> str:
    """Which mapping Results, Growth, the report and the command line use, in words."""
    return mapping_in_use(choice)[1]
