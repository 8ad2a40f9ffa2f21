"""A survey's evidence, per dimension: whether the scale's items hang together (for everyone and
for each group of divisions shown) and whether division means can be compared.

This module owns the words every surface shows about it: Survey upload, Compare, Results, the
survey's report and ``readiness evidence`` take their sentences from :class:`SurveyEvidence`, so
they cannot disagree.

- Groups are the survey's groups as the scores show them (:mod:`readiness.groups`): divisions
  of at least the minimum group size, then "other divisions"; a smaller division is never shown
  alone, and when only the whole organization may be shown there are no groups at all.
- A scale's alpha, omega and items are reported for a group (or for everyone) only from
  :data:`MIN_SCALE_RESPONDENTS` respondents who answered it; with fewer, the figures are "too
  few respondents to tell".
- Missing answers are handled once, as R does (:data:`MISSING_ANSWERS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from readiness.evidence.agreement import (
    RELIABLE_GROUP_MEANS,
    STRONG_AGREEMENT,
    GroupAgreement,
    ScaleAgreement,
    group_codes,
    scale_agreement,
)
from readiness.evidence.reliability import (
    ALPHA_INTERVAL_METHOD,
    CONSISTENT_ALPHA,
    ScaleReliability,
    scale_reliability,
)
from readiness.evidence.scales import dimension_scales
from readiness.groups import GroupMerge, merge_small_groups, min_group_size, rule_text

if TYPE_CHECKING:
    from readiness.answers import RespondentTable
    from readiness.evidence.scales import DimensionScale
    from readiness.questionnaire import Questionnaire

FloatArray = npt.NDArray[np.float64]

#: Respondents (who answered at least one of a scale's items) from which a scale's alpha is
#: reported: with fewer, Feldt's 95% interval spans most of alpha's range and tells nothing.
MIN_SCALE_RESPONDENTS = 10
#: The group of everyone, as the survey's scores name it.
ALL_RESPONDENTS = "All respondents"
#: What a figure is when there are too few respondents for it.
TOO_FEW = "too few respondents to tell"
#: How missing answers are handled, in words, once for every surface.
MISSING_ANSWERS = (
    "Missing answers: alpha, omega and the item figures use every answer given, each pair of "
    "items over the respondents who answered both (pairwise, as R's psych::alpha does), so "
    "nobody is left out for one blank answer; r_wg(j) counts the respondents who answered "
    "every item of the scale (as R's multilevel::rwg.j does)."
)
#: Digits kept in JSON and CSV figures.
DIGITS = 4
#: The scale quality table's columns, in words, on every surface that shows it.
TABLE_COLUMNS = (
    "Dimension",
    "Group",
    "Respondents",
    "Alpha",
    "Alpha 95% interval",
    "Omega total",
    "r_wg(j)",
    "ICC(2)",
    "Reading",
)


def _lowered(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def _reading(reliability: ScaleReliability | None) -> str:
    """A scale's quality in a few words, for a table cell."""
    if reliability is None:
        return TOO_FEW
    if reliability.alpha is None:
        return "too few answers that vary to tell"
    return "consistent" if reliability.consistent else "its items disagree"


@dataclass(frozen=True)
class GroupEvidence:
    """One group shown (a division of at least the minimum, or "other divisions"): its
    respondents, its scale quality (None with fewer than :data:`MIN_SCALE_RESPONDENTS` who
    answered the scale) and its members' agreement (r_wg(j), 0-1)."""

    name: str
    respondents: int
    reliability: ScaleReliability | None
    agreement: GroupAgreement

    @property
    def reading(self) -> str:
        """The group's scale quality in a few words."""
        return _reading(self.reliability)


@dataclass(frozen=True)
class DimensionEvidence:
    """One dimension's scale: its quality for everyone (None with fewer than
    :data:`MIN_SCALE_RESPONDENTS` who answered it), per group shown, and the agreement across
    the groups (ICC(1), ICC(2))."""

    dimension: str
    name: str
    item_ids: tuple[str, ...]
    item_labels: tuple[str, ...]
    respondents: int  # who answered at least one of the scale's items
    reliability: ScaleReliability | None
    agreement: ScaleAgreement
    groups: tuple[GroupEvidence, ...]

    @property
    def reading(self) -> str:
        """The scale's quality for everyone in a few words."""
        return _reading(self.reliability)

    @property
    def quality_sentence(self) -> str:
        """The scale's quality for everyone, in one sentence (e.g. "Support: alpha 0.82
        (0.78-0.86): consistent enough to compare divisions.")."""
        if self.reliability is None:
            return (
                f"{self.name}: {TOO_FEW} whether its items agree ({self.respondents} answered "
                f"it; alpha needs at least {MIN_SCALE_RESPONDENTS})."
            )
        return self.reliability.describe(self.name)

    @property
    def comparison_sentence(self) -> str:
        """Whether division means differ reliably on this dimension, in one sentence (ICC(2),
        e.g. "Support: divisions differ reliably (ICC(2) 0.78).")."""
        return f"{self.name}: {_lowered(self.agreement.describe())}"

    @property
    def item_label(self) -> dict[str, str]:
        """Each item's questionnaire label by its id."""
        return dict(zip(self.item_ids, self.item_labels, strict=True))


@dataclass(frozen=True)
class SurveyEvidence:
    """Scale quality and agreement of a survey's dimensions (questionnaire order)."""

    name: str  # the survey's file name (user text)
    respondents: int  # rows without problems
    minimum: int  # the minimum group size used
    merge_note: str | None  # what was merged, in words (no division named)
    dimensions: tuple[DimensionEvidence, ...]
    level: float = 0.95

    @property
    def group_text(self) -> str:
        """Why small divisions are merged and what was merged here (no division named)."""
        return " ".join(filter(None, [rule_text(self.minimum), self.merge_note]))

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups shown, in order (none when only the whole organization may be shown)."""
        return tuple(g.name for g in self.dimensions[0].groups) if self.dimensions else ()

    @property
    def method_text(self) -> str:
        """What the figures are and how missing answers count, in words."""
        return (
            f"Alpha is Cronbach's, raw, with {ALPHA_INTERVAL_METHOD} at "
            f"{100 * self.level:.0f}% ({CONSISTENT_ALPHA:.2f} or more: consistent); omega is "
            "McDonald's omega total of one factor; item-rest is each item's correlation with the "
            "sum of the others; r_wg(j) is agreement within a group (0-1) against answers chosen "
            f"at random ({STRONG_AGREEMENT:.2f} or more: strong); ICC(2) is how reliable the "
            f"group means are ({RELIABLE_GROUP_MEANS:.2f} or more: reliable enough to rank). "
            f"Reverse-keyed items are reversed. {MISSING_ANSWERS}"
        )

    @property
    def quality_sentences(self) -> list[str]:
        """Each dimension's scale quality, one sentence each."""
        return [d.quality_sentence for d in self.dimensions]

    @property
    def comparison_sentences(self) -> list[str]:
        """Each dimension's reliability of division means, one sentence each."""
        return [d.comparison_sentence for d in self.dimensions]

    def scale_rows(self) -> list[dict[str, Any]]:
        """One row per dimension and scope (everyone, then each group shown): respondents,
        alpha (raw, standardized, interval), omega total, r_wg(j) (groups), ICC(1)/ICC(2)
        (everyone's row) and the reading in words. Figures unrounded, None where none."""
        rows: list[dict[str, Any]] = []
        for d in self.dimensions:
            rows.append(
                {
                    "dimension": d.name,
                    "group": ALL_RESPONDENTS,
                    "respondents": d.respondents,
                    **_figures(d.reliability),
                    "rwg_j": None,
                    "icc1": d.agreement.icc1,
                    "icc2": d.agreement.icc2,
                    "reading": d.reading,
                }
            )
            rows.extend(
                {
                    "dimension": d.name,
                    "group": g.name,
                    "respondents": g.respondents,
                    **_figures(g.reliability),
                    "rwg_j": g.agreement.rwg_j,
                    "icc1": None,
                    "icc2": None,
                    "reading": g.reading,
                }
                for g in d.groups
            )
        return rows

    def table_rows(self) -> list[dict[str, Any]]:
        """:meth:`scale_rows` as people read them: :data:`TABLE_COLUMNS`, figures to 2
        decimals (None where none), the interval as text ("0.78 to 0.86")."""
        return [
            dict(
                zip(
                    TABLE_COLUMNS,
                    (
                        row["dimension"],
                        row["group"],
                        row["respondents"],
                        _two(row["alpha"]),
                        _interval(row["alpha_low"], row["alpha_high"]),
                        _two(row["omega_total"]),
                        _two(row["rwg_j"]),
                        _two(row["icc2"]),
                        row["reading"],
                    ),
                    strict=True,
                )
            )
            for row in self.scale_rows()
        ]

    def item_rows(self) -> list[dict[str, Any]]:
        """One row per item of every scale with everyone's figures: item-rest correlation
        (-1 to 1), alpha if deleted, and whether deleting it raises alpha. Items without
        variance are listed with no figures; none when the scale has too few respondents."""
        rows: list[dict[str, Any]] = []
        for d in self.dimensions:
            r = d.reliability
            if r is None:
                continue
            labels = d.item_label
            weakest = r.weakest_item
            for item_id, label in labels.items():
                found = next((i for i in r.items if i.item == label), None)
                rows.append(
                    {
                        "dimension": d.name,
                        "item_id": item_id,
                        "item": label,
                        "item_rest": found.item_rest if found else None,
                        "alpha_if_deleted": found.alpha_if_deleted if found else None,
                        "raises_alpha_if_deleted": bool(
                            found
                            and found.alpha_if_deleted is not None
                            and r.alpha is not None
                            and found.alpha_if_deleted > r.alpha
                        ),
                        "lowers_most": weakest is not None and weakest.item == label,
                        "no_variance": label in r.excluded,
                    }
                )
        return rows

    def to_json(self) -> dict[str, Any]:
        """Everything as JSON-ready data (figures rounded to :data:`DIGITS` decimals)."""
        return {
            "survey": self.name,
            "respondents": self.respondents,
            "min_group_size": self.minimum,
            "groups_note": self.group_text,
            "method": self.method_text,
            "missing_answers": MISSING_ANSWERS,
            "interval": {"method": ALPHA_INTERVAL_METHOD, "level": self.level},
            "min_scale_respondents": MIN_SCALE_RESPONDENTS,
            "dimensions": [_dimension_json(d) for d in self.dimensions],
        }

    def csv_rows(self) -> list[list[Any]]:
        """A header and one row per dimension and scope, then one per item (``item`` set):
        the long table ``readiness evidence --format csv`` prints."""
        header = [
            "dimension",
            "group",
            "item",
            "respondents",
            "alpha",
            "standardized_alpha",
            "alpha_low",
            "alpha_high",
            "omega_total",
            "item_rest",
            "alpha_if_deleted",
            "rwg_j",
            "icc1",
            "icc2",
            "reading",
        ]
        rows: list[list[Any]] = [header]
        for row in self.scale_rows():
            rows.append([_rounded(row.get(column)) for column in header])
        for item in self.item_rows():
            full = {**item, "group": ALL_RESPONDENTS, "reading": item_reading(item)}
            rows.append([_rounded(full.get(column)) for column in header])
        return rows


def item_reading(item: Mapping[str, Any]) -> str:
    """What an :meth:`SurveyEvidence.item_rows` row means for its scale, in a few words."""
    if item["no_variance"]:
        return "left out: everyone answered it alike"
    if item["lowers_most"]:
        return "lowers alpha most"
    return "lowers alpha" if item["raises_alpha_if_deleted"] else ""


def _figures(reliability: ScaleReliability | None) -> dict[str, float | None]:
    r = reliability
    return {
        "alpha": r.alpha if r else None,
        "standardized_alpha": r.standardized_alpha if r else None,
        "alpha_low": r.alpha_low if r else None,
        "alpha_high": r.alpha_high if r else None,
        "omega_total": r.omega_total if r else None,
    }


def _two(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _interval(low: float | None, high: float | None) -> str | None:
    return None if low is None or high is None else f"{low:.2f} to {high:.2f}"


def _rounded(value: Any) -> Any:
    return round(value, DIGITS) if isinstance(value, float) else value


def _reliability_json(reliability: ScaleReliability | None) -> dict[str, Any]:
    figures = {key: _rounded(value) for key, value in _figures(reliability).items()}
    figures["excluded_items"] = list(reliability.excluded) if reliability else []
    return figures


def _dimension_json(d: DimensionEvidence) -> dict[str, Any]:
    by_label = {i.item: i for i in d.reliability.items} if d.reliability else {}
    return {
        "dimension": d.dimension,
        "name": d.name,
        "respondents": d.respondents,
        "quality": d.quality_sentence,
        "comparison": d.comparison_sentence,
        "reading": d.reading,
        **_reliability_json(d.reliability),
        "items": [
            {
                "id": item_id,
                "label": label,
                "item_rest": _rounded(by_label[label].item_rest) if label in by_label else None,
                "alpha_if_deleted": (
                    _rounded(by_label[label].alpha_if_deleted) if label in by_label else None
                ),
            }
            for item_id, label in d.item_label.items()
        ]
        if d.reliability
        else [],
        "icc1": _rounded(d.agreement.icc1),
        "icc2": _rounded(d.agreement.icc2),
        "groups": [
            {
                "group": g.name,
                "respondents": g.respondents,
                "complete": g.agreement.complete,
                "rwg_j": _rounded(g.agreement.rwg_j),
                "reading": g.reading,
                **_reliability_json(g.reliability),
            }
            for g in d.groups
        ],
    }


def _answered(answers: FloatArray) -> int:
    return int((~np.isnan(answers)).any(axis=1).sum()) if answers.size else 0


def _reliability(answers: FloatArray, labels: tuple[str, ...]) -> ScaleReliability | None:
    """The scale's quality, or None with fewer than :data:`MIN_SCALE_RESPONDENTS` answering."""
    if _answered(answers) < MIN_SCALE_RESPONDENTS:
        return None
    return scale_reliability(answers, labels)


def _dimension(scale: DimensionScale, merge: GroupMerge) -> DimensionEvidence:
    agreement = scale_agreement(scale.answers, scale.divisions, merge=merge)
    _, _, codes = group_codes(scale.divisions, merge=merge)
    groups = sorted(
        (
            GroupEvidence(
                name=g.name,
                respondents=g.respondents,
                reliability=_reliability(scale.answers[codes == k], scale.item_labels),
                agreement=g,
            )
            for k, g in enumerate(agreement.groups)
        ),
        key=lambda g: (-g.respondents, g.name),  # largest first, as the division table
    )
    return DimensionEvidence(
        dimension=scale.dimension,
        name=scale.name,
        item_ids=scale.item_ids,
        item_labels=scale.item_labels,
        respondents=_answered(scale.answers),
        reliability=_reliability(scale.answers, scale.item_labels),
        agreement=agreement,
        groups=tuple(groups),
    )


def survey_evidence(
    questionnaire: Questionnaire,
    table: RespondentTable,
    name: str = "survey",
    minimum: int | None = None,
) -> SurveyEvidence:
    """Scale quality and agreement of every dimension of a respondents table (rows with
    problems left out, as the scores leave them out). Divisions under ``minimum`` respondents
    (default: the setting ``READINESS_MIN_GROUP_SIZE``) are merged as the scores merge them;
    ``name`` is the survey's file name."""
    least = min_group_size() if minimum is None else minimum
    good = table.without_bad_rows()
    sizes = np.bincount(good.division_codes, minlength=len(good.division_names))
    merge = merge_small_groups(  # the scores' merge: the same groups on every surface
        {n: int(s) for n, s in zip(good.division_names, sizes, strict=True) if s}, least
    )
    scales = dimension_scales(questionnaire, table)
    return SurveyEvidence(
        name=name,
        respondents=len(good),
        minimum=least,
        merge_note=merge.note(),
        dimensions=tuple(_dimension(scale, merge) for scale in scales.values()),
    )
