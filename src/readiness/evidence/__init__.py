"""Evidence from an organization's own data: whether its survey's scales hold together
(:mod:`~readiness.evidence.reliability`), whether respondents within a division agree and
division means can be compared (:mod:`~readiness.evidence.agreement`), and which dimensions
matter more for measured adoption (:mod:`~readiness.evidence.weights`): the survey's divisions
joined to measured adoption's and the drivers of each division's use
(:mod:`~readiness.evidence.drivers`), and the lever mapping calibrated from those data with
``data/levers.yaml`` as the prior (:mod:`~readiness.evidence.calibration`).

Scales come from the questionnaire (:mod:`~readiness.evidence.scales`). Every figure is
computed as R computes it (``psych``, ``multilevel``), which ``tests/test_evidence_r.py``
checks; results are frozen objects that say what they mean in words.
"""

from __future__ import annotations

from readiness.evidence.agreement import (
    RELIABLE_GROUP_MEANS,
    STRONG_AGREEMENT,
    GroupAgreement,
    ScaleAgreement,
    group_codes,
    one_way_icc,
    rwg_j,
    scale_agreement,
    uniform_null_variance,
)
from readiness.evidence.calibration import (
    Calibration,
    CalibrationVerdict,
    CurveComparison,
    DivisionCurves,
    LeverRanking,
    MappingNumber,
    PredictedCurve,
    calibrate_levers,
    compare_curves,
    lever_rankings,
)
from readiness.evidence.drivers import (
    DivisionMap,
    DivisionMatch,
    DivisionPair,
    DriverAnalysis,
    ItemWeights,
    MatchedDivision,
    SurveyDivision,
    SurveyDivisions,
    drivers_of,
    match_divisions,
    measured_drivers,
    series_growth,
    survey_divisions,
)
from readiness.evidence.factor import OneFactor, one_factor_minres
from readiness.evidence.pairwise import pairwise_correlation, pairwise_covariance
from readiness.evidence.reliability import (
    ALPHA_INTERVAL_METHOD,
    CONSISTENT_ALPHA,
    ItemReliability,
    ScaleReliability,
    cronbach_alpha,
    feldt_interval,
    omega_total,
    scale_reliability,
)
from readiness.evidence.scales import DimensionScale, dimension_scales, scale_items
from readiness.evidence.weights import (
    MIN_UNITS,
    PredictorWeight,
    RelativeWeights,
    WeightVerdict,
    johnson_weights,
    relative_weights,
)

__all__ = [
    "ALPHA_INTERVAL_METHOD",
    "CONSISTENT_ALPHA",
    "MIN_UNITS",
    "RELIABLE_GROUP_MEANS",
    "STRONG_AGREEMENT",
    "Calibration",
    "CalibrationVerdict",
    "CurveComparison",
    "DimensionScale",
    "DivisionCurves",
    "DivisionMap",
    "DivisionMatch",
    "DivisionPair",
    "DriverAnalysis",
    "GroupAgreement",
    "ItemReliability",
    "ItemWeights",
    "LeverRanking",
    "MappingNumber",
    "MatchedDivision",
    "OneFactor",
    "PredictedCurve",
    "PredictorWeight",
    "RelativeWeights",
    "ScaleAgreement",
    "ScaleReliability",
    "SurveyDivision",
    "SurveyDivisions",
    "WeightVerdict",
    "calibrate_levers",
    "compare_curves",
    "cronbach_alpha",
    "dimension_scales",
    "drivers_of",
    "feldt_interval",
    "group_codes",
    "johnson_weights",
    "lever_rankings",
    "match_divisions",
    "measured_drivers",
    "omega_total",
    "one_factor_minres",
    "one_way_icc",
    "pairwise_correlation",
    "pairwise_covariance",
    "relative_weights",
    "rwg_j",
    "scale_agreement",
    "scale_items",
    "scale_reliability",
    "series_growth",
    "survey_divisions",
    "uniform_null_variance",
]
