"""What the "Measured adoption" page shows: the monthly active share overall and per division,
each with its fitted S-curve and 80% band, milestones, the gap to the self-reported share, and
the formula-safe CSV of the monthly series.

Only monthly aggregates reach this module (no user identifier; no group below the minimum
size: :mod:`readiness.usage.measure`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from readiness.organization import FittedHistory, MilestoneRow, milestone_frame
from readiness.safe_output import frame_to_csv, literal_block
from readiness.settings import load_settings
from readiness.story import month_year
from readiness.usage import (
    ACTIONS,
    ALL_STAFF,
    DEFAULT_ACTIONS,
    FORMATS,
    MeasuredAdoption,
    Roster,
    measure_files,
    read_roster,
)
from readiness.usage.forecast import GroupFit, fit_groups, latest_share

if TYPE_CHECKING:
    import altair as alt

    from readiness.usage.measure import Progress

__all__ = [
    "ACTIONS",
    "CHART_YEARS",
    "DEFAULT_ACTIONS",
    "LARGE_GAP",
    "MAX_PANELS",
    "MILESTONES",
    "MeasuredView",
    "display_table",
    "least_group_size",
    "measured_view",
    "overall_chart",
    "panels_chart",
    "read_uploads",
    "recognised_formats",
]

#: Points between the measured share and the self-reported one that are called a large gap.
LARGE_GAP = 0.15
#: Divisions drawn as small multiples (the largest first); the table lists them all.
MAX_PANELS = 12
MILESTONES = 0.5
#: Years the charts show past the last measured month (the milestones look further).
CHART_YEARS = 2.0


@dataclass(frozen=True)
class MeasuredView:
    """Everything the page draws, computed once per set of uploads and settings."""

    measured: MeasuredAdoption
    fits: tuple[GroupFit, ...]
    table: pd.DataFrame
    csv: str
    latest: tuple[str, float] | None
    milestones: pd.DataFrame
    overall_chart: alt.LayerChart | None = None
    panels_chart: alt.FacetChart | None = None
    fit_notes: list[str] = field(default_factory=list)

    @property
    def fitted(self) -> FittedHistory | None:
        """The whole organization's fitted history (marked measured), if it could be fitted."""
        return self.fits[0].fitted if self.fits else None

    def gap_text(self, self_reported_percent: Any) -> tuple[str, bool] | None:
        """The measured share beside the questionnaire's self-reported one (percent 0-100), and
        whether the gap is large; None without either."""
        if self.latest is None or not isinstance(self_reported_percent, int | float):
            return None
        if isinstance(self_reported_percent, bool) or not math.isfinite(self_reported_percent):
            return None
        month, measured = self.latest
        reported = float(self_reported_percent) / 100.0
        gap = measured - reported
        text = (
            f"Measured: {measured:.0%} of staff active in {month}; self-reported in the "
            f"questionnaire: {reported:.0%} ({gap * 100:+.0f} points)."
        )
        large = abs(gap) >= LARGE_GAP
        if large:
            text += (
                " A large gap: the questionnaire's estimate is "
                + ("optimistic" if gap < 0 else "pessimistic")
                + "; the projection uses the measured share."
            )
        return text, large

    def skipped_rows(self) -> str | None:
        """The rows skipped in every file and why, one line each, as a literal block (file
        names and cells are user text); None when no row was skipped."""
        problems = [p for f in self.measured.files for p in f.problems]
        return literal_block(problems) if problems else None

    def summary_metrics(self) -> list[tuple[str, str, str | None]]:
        """The figures above the charts: (label, value, help) for the latest month's active
        share (percent), the months measured, the divisions shown and the active users the
        roster does not list."""
        month, share = self.latest or ("n/a", float("nan"))
        outside = self.measured.not_in_roster
        return [
            (f"Active in {month}", "n/a" if self.latest is None else f"{share:.0%}", None),
            ("Months", f"{self.measured.overall['month'].nunique()}", None),
            ("Divisions shown", f"{len(self.measured.divisions)}", None),
            (
                "Not in roster (last month)",
                f"{int(outside['users'].iloc[-1]):,}" if not outside.empty else "n/a",
                "Active users the roster does not list as employed that month: counted, not "
                "dropped.",
            ),
        ]

    def reading_notes(self) -> list[str]:
        """What each file gave (format, rows read and skipped), what was counted, and notes;
        plain text (file names are user text)."""
        read = [
            f"{f.name}: {f.format.title}, {f.rows:,} rows, {f.skipped:,} skipped"
            for f in self.measured.files
        ]
        return [*read, *self.measured.definitions(), *self.measured.notes]


def recognised_formats() -> str:
    """The usage export formats recognised from their header, by title, in one line."""
    return "; ".join(f.title for f in FORMATS)


def least_group_size() -> int:
    """The configured minimum group size (``READINESS_MIN_GROUP_SIZE``; a bad value reads as
    its default here): the page may only raise it."""
    return load_settings().min_group_size


def read_uploads(
    exports: Sequence[tuple[bytes, str]],
    roster: tuple[bytes, str] | None,
    headcount: int | None,
    actions: Iterable[str],
    min_group: int,
    progress: Progress | None = None,
) -> MeasuredAdoption:
    """Measure uploaded exports against an uploaded roster (or a headcount)."""
    people: Roster | None = read_roster(*roster) if roster is not None else None
    return measure_files(
        list(exports),
        roster=people,
        headcount=None if people is not None else headcount,
        actions=actions,
        min_group=min_group,
        progress=progress,
    )


def measured_view(measured: MeasuredAdoption) -> MeasuredView:
    """Fits, charts, milestones, table and CSV of measured adoption."""
    fits = tuple(fit_groups(measured))
    table = display_table(measured)
    renamed = [
        MilestoneRow(f.group, f.fitted.milestone_row(MILESTONES).reached)
        for f in fits
        if f.fitted is not None
    ]
    notes = [f"{f.group}: no curve ({f.problem})" for f in fits if f.fitted is None]
    notes += [f"{f.group}: {w}" for f in fits if f.fitted is not None for w in f.fitted.warnings]
    return MeasuredView(
        measured=measured,
        fits=fits,
        table=table,
        csv=frame_to_csv(measured.monthly_series()),
        latest=latest_share(measured),
        milestones=milestone_frame(renamed, MILESTONES).rename(columns={"curve": "Group"})
        if renamed
        else pd.DataFrame(),
        overall_chart=overall_chart(fits[0]) if fits and fits[0].fitted is not None else None,
        panels_chart=panels_chart(fits[1 : MAX_PANELS + 1]),
        fit_notes=notes,
    )


def display_table(measured: MeasuredAdoption) -> pd.DataFrame:
    """The monthly series for people: groups as columns of percent active, latest first."""
    series = measured.series.assign(
        share=(measured.series["share"].astype("float64") * 100).round(1)
    )
    order = [ALL_STAFF, *measured.divisions]
    wide = series.pivot(index="month", columns="group", values="share")
    wide = wide[[g for g in order if g in wide.columns]].sort_index(ascending=False)
    wide.columns = [f"{g} (% active)" for g in wide.columns]
    if not measured.not_in_roster.empty:
        outside = measured.not_in_roster.set_index("month")["users"]
        wide["not in roster (users)"] = outside.reindex(wide.index).astype("Int64")
    return wide.reset_index().rename(columns={"month": "Month"})


def _dates(years: Iterable[float]) -> list[pd.Timestamp]:
    """Decimal years as dates (for a time axis)."""
    out = []
    for year in years:
        whole = math.floor(year)
        start = pd.Timestamp(year=whole, month=1, day=1)
        out.append(start + (pd.Timestamp(year=whole + 1, month=1, day=1) - start) * (year - whole))
    return out


def _curve_frame(fit: GroupFit) -> pd.DataFrame:
    """One group's fitted curve and band (to :data:`CHART_YEARS` past the last month) and its
    measured months, in one table."""
    assert fit.fitted is not None
    observed = fit.fitted.observed
    curve = fit.fitted.curve
    curve = curve[curve["year"] <= observed["year"].iloc[-1] + CHART_YEARS]
    fitted = pd.DataFrame(
        {
            "group": fit.group,
            "date": _dates(curve["year"]),
            "fit": curve["fit"],
            "low": curve["low"],
            "high": curve["high"],
            "share": float("nan"),
        }
    )
    points = pd.DataFrame(
        {
            "group": fit.group,
            "date": _dates(observed["year"]),
            "fit": float("nan"),
            "low": float("nan"),
            "high": float("nan"),
            "share": observed["share"],
        }
    )
    return pd.concat([fitted, points], ignore_index=True)


def _layers() -> list[Any]:
    import altair as alt

    base = alt.Chart()
    share_axis = alt.Axis(format="%")
    # Fit rows and measured rows share one table: each layer keeps its own rows (a null in a
    # line would break it into invisible one-point pieces).
    fitted = base.transform_filter("isValid(datum.fit)")
    band = fitted.mark_area(opacity=0.25).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True)),
        y=alt.Y(
            "low:Q", title="Monthly active share", axis=share_axis, scale=alt.Scale(domain=[0, 1])
        ),
        y2="high:Q",
    )
    line = fitted.mark_line().encode(x="date:T", y="fit:Q")
    points = (
        base.transform_filter("isValid(datum.share)")
        .mark_circle(size=40, color="black")
        .encode(
            x="date:T",
            y="share:Q",
            tooltip=[
                alt.Tooltip("date:T", format="%b %Y", title="Month"),
                alt.Tooltip("share:Q", format=".1%", title="Active"),
            ],
        )
    )
    return [band, line, points]


def overall_chart(fit: GroupFit) -> alt.LayerChart:
    """The whole organization's measured months (points), fitted curve (line) and 80% band."""
    import altair as alt

    assert fit.fitted is not None
    frame = _curve_frame(fit)
    last = fit.fitted.observed["year"].iloc[-1]
    description = (
        f"Monthly active share of all staff, measured {len(fit.fitted.observed)} months to "
        f"{month_year(float(last))}, with a {fit.fitted.model} curve fitted (R² "
        f"{fit.fitted.r2:.2f}) and its 80% band."
    )
    return alt.LayerChart(layer=_layers(), data=frame).properties(
        height=320, width="container", description=description
    )


def panels_chart(fits: Sequence[GroupFit]) -> alt.FacetChart | None:
    """Small multiples: one panel per division shown, with its points, curve and band."""
    import altair as alt

    frames = [_curve_frame(f) for f in fits if f.fitted is not None]
    if not frames:
        return None
    frame = pd.concat(frames, ignore_index=True)
    groups = list(dict.fromkeys(frame["group"]))
    description = (
        f"Monthly active share in {len(groups)} divisions, each with its fitted curve and 80% "
        "band, one panel per division."
    )
    return (
        alt.layer(*_layers(), data=frame)
        .properties(height=160, width=220)
        .facet(facet=alt.Facet("group:N", title=None, sort=groups), columns=3)
        .properties(description=description)
    )
