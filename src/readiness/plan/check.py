"""Did it work? An action's effect measured from usage, next to the curve without it.

The scope's measured monthly active share (:func:`scope_observations`: the whole organization,
or the named divisions pooled by their people) is fitted twice (:mod:`readiness.fitting`):

- the Generalized Bass Model with the action's shock: rectangular from its start to its end when
  the action has an end (to the last measured month when it has none and its kind is
  rectangular), else the kind's shape; the start held at the action's date (a decimal year), or
  estimated;
- plain Bass, with the same ceiling and launch handling, and the two compared
  (:func:`~readiness.fitting.compare_with_bass`): supported, not supported, too early to tell.

The effect is the shock's ``c``: growth runs ``1 + c`` times as fast while it holds (an
exponential shock's extra fades, halving every ``ln 2 / -b`` years). The counterfactual is the
same fitted curve with the effect set to 0 (:meth:`GeneralizedBassModel.without_shocks`); past
the measured months, "with the action" carries it on as planned (a campaign to its end, a
lasting action to the horizon, a fading one fading). Months earlier is how much sooner the
scope reaches 50% with the action than without (or, when 50% is beyond the horizon, the share
reached at the last measured month). Shares are 0-1, times decimal years, durations months.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from readiness.errors import InputError
from readiness.fitting.bands import Z95
from readiness.fitting.gbm_model import (
    EFFECT_BOUNDS,
    MIN_AFTER_START,
    GeneralizedBassModel,
    ShockComparison,
    Verdict,
)
from readiness.fitting.model_names import ShockShape
from readiness.fitting.observations import Observations
from readiness.months import month_midpoint
from readiness.organization import decimal_year
from readiness.plan.kinds import ActionKind
from readiness.plan.model import MeasuredEffect, PlanAction
from readiness.story import month_year, months_text

if TYPE_CHECKING:
    import pandas as pd

    from readiness.evidence.drivers import DivisionMap
    from readiness.fitting.result import FitResult
    from readiness.usage.measure import MeasuredAdoption

#: Measured months needed after an action's start before its effect is judged (the GBM's).
MIN_MONTHS_AFTER = MIN_AFTER_START
#: Measured months needed before an action's start: the curve without it rests on them.
MIN_MONTHS_BEFORE = 3
#: Years past the last measured month the curves are drawn and 50% is looked for.
HORIZON_YEARS = 5.0
#: Where an estimated start is searched: from this many months before the action's date to
#: this many after (an effect may show with the announcement, or once people get going).
START_EARLIER_MONTHS = 2
START_LATER_MONTHS = 6
#: The chi-squared distribution's 95% point with 1 degree of freedom (a profile interval).
CHI2_95 = 3.841458820694124
#: The share whose reaching the check dates with and without the action.
TARGET_SHARE = 0.5
#: Years, far past any horizon, within which a slowed curve is still searched for its target.
SEARCH_YEARS = 200.0
#: The most divisions a sentence names before it counts the rest.
NAMED_DIVISIONS = 3

Target = Literal["50%", "last measured share"]
Duration = Literal["to its end", "to the last measured month", "half-life", "not fading"]


# --- the scope's measured series --------------------------------------------------------------


@dataclass(frozen=True)
class ScopeSeries:
    """An action's scope in measured usage: the ``observations`` (monthly active share 0-1,
    months dated at their middle) and the measured ``groups`` pooled, or ``None`` and the
    ``reason`` (a division not in the usage, merged for anonymity, no month measured)."""

    observations: Observations | None
    groups: tuple[str, ...] = ()
    reason: str = ""


def _measured_group(
    name: str, shown: Sequence[str], merged: Sequence[str], division_map: DivisionMap | None
) -> tuple[str | None, str]:
    """The measured group of the plan's division ``name`` and "", or None and why not."""
    from readiness.evidence.drivers import name_key, shown_name

    target = division_map.measured_for(name) if division_map is not None else None
    wanted = target if target is not None else name
    key = name_key(wanted)
    found = [g for g in shown if g == wanted] or [g for g in shown if name_key(g) == key]
    if len(found) == 1:
        return found[0], ""
    paired = f" (paired with {shown_name(target)})" if target is not None else ""
    if any(name_key(m) == key for m in merged):
        return None, (
            f"division {shown_name(name)}{paired} is merged into 'other divisions' in the usage"
            " (too few people to show on its own)"
        )
    if len(found) > 1:
        return None, f"division {shown_name(name)} matches several divisions in the usage"
    listed = ", ".join(shown_name(g) for g in shown[:10]) or "none: measured with a headcount"
    more = " ..." if len(shown) > 10 else ""
    return None, (
        f"division {shown_name(name)}{paired} is not in the usage (its divisions: {listed}{more});"
        " a division map pairs names that differ"
    )


def scope_series(
    measured: MeasuredAdoption, action: PlanAction, division_map: DivisionMap | None = None
) -> ScopeSeries:
    """The action's scope's monthly active share from measured usage: the whole organization
    ("all staff"), or the named divisions pooled by their people (active users over people
    employed, summed over the divisions, in the months every one of them is measured). A plan
    names divisions as the survey does; ``division_map`` pairs names that differ from the
    usage's (else the same name, ignoring case and spaces)."""
    from readiness.usage.aggregate import ALL_STAFF

    series = measured.series
    if not action.divisions:
        groups: tuple[str, ...] = (ALL_STAFF,)
    else:
        found = []
        for name in action.divisions:
            group, reason = _measured_group(name, measured.divisions, measured.merged, division_map)
            if group is None:
                return ScopeSeries(None, reason=reason)
            found.append(group)
        groups = tuple(dict.fromkeys(found))
    rows = series[series["group"].isin(groups)].dropna(subset=["active", "roster"])
    rows = rows[rows["roster"].astype("float64") > 0]
    pooled = rows.groupby("month").agg(
        active=("active", "sum"), roster=("roster", "sum"), groups=("group", "nunique")
    )
    pooled = pooled[pooled["groups"] == len(groups)].sort_index()
    scope = _scope_words(action)
    if pooled.empty:
        return ScopeSeries(None, groups, f"no measured month for {scope}")
    shares = (pooled["active"].astype("float64") / pooled["roster"].astype("float64")).clip(0, 1)
    observations = Observations(
        periods=tuple(month_midpoint(str(m)) for m in pooled.index),
        values=tuple(float(s) for s in shares),
        unit="share",
        source=f"measured usage ({scope})",
    )
    return ScopeSeries(observations, groups)


def scope_observations(
    measured: MeasuredAdoption, action: PlanAction, division_map: DivisionMap | None = None
) -> Observations | None:
    """The action's scope's monthly active share (0-1) from measured usage, or ``None`` when a
    named division is not in it (:func:`scope_series` says why)."""
    return scope_series(measured, action, division_map).observations


# --- the check --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionCheck:
    """Whether an action worked, as the scope's measured usage says.

    ``effect`` is the shock's ``c`` (growth times ``1 + c`` while it holds) with its 95%
    interval (``None`` when too early to tell, or where the fit gives none); ``months_after``
    counts the measured months after the start (``start``, decimal year, held at the action's
    date or estimated). ``duration_months``: a rectangular shock's months from its start to its
    end (or the last measured month), an exponential one's half-life (``None`` when it does not
    fade). ``months_earlier``: how much sooner the scope reaches ``target_share`` with the action
    than without (below 0: later), ``target`` saying whether that is 50% or the share reached at
    the last measured month. ``curves``: ``year``, ``observed``, ``with_action`` (the fit),
    ``without_action`` (the counterfactual), shares 0-1. ``plan_sentence`` compares the effect
    with the plan's (``assumed_effect``, the ``c`` it assumed for the scope, or the
    ``kept_effect`` it keeps from an earlier check).
    """

    action: PlanAction
    kind: ActionKind
    shape: ShockShape
    start: float
    start_estimated: bool
    verdict: Verdict
    months_after: int
    effect: float | None
    effect_low: float | None
    effect_high: float | None
    interval_method: str
    duration_months: float | None
    duration: Duration
    comparison: ShockComparison | None
    months_earlier: float | None
    target_share: float | None
    target: Target | None
    curves: pd.DataFrame
    sentence: str
    first_month: str
    last_month: str
    assumed_effect: float | None = None
    kept_effect: MeasuredEffect | None = None
    plan_sentence: str | None = None
    fit: FitResult | None = None
    bass: FitResult | None = None

    @property
    def multiplier(self) -> float | None:
        """Growth while the action holds, as a multiple of growth without it (``1 + c``)."""
        return None if self.effect is None else 1.0 + self.effect

    @property
    def multiplier_interval(self) -> tuple[float | None, float | None]:
        """The 95% interval of :attr:`multiplier`."""
        low, high = self.effect_low, self.effect_high
        return (None if low is None else 1.0 + low, None if high is None else 1.0 + high)

    @property
    def consistent(self) -> bool | None:
        """Whether the plan's effect lies within the measured interval (``None`` when there is
        nothing to compare)."""
        planned = _planned_effect(self.assumed_effect, self.kept_effect)
        if planned is None or self.effect_low is None or self.effect_high is None:
            return None
        return self.effect_low <= planned <= self.effect_high


def _planned_effect(assumed: float | None, kept: MeasuredEffect | None) -> float | None:
    """The effect the plan uses for the kind: a kept measured one replaces the assumption."""
    return kept.effect if kept is not None else assumed


def _scope_words(action: PlanAction) -> str:
    """The scope as a sentence names it: "Sales", "Sales and Support", "the whole
    organization"."""
    from readiness.safe_output import terminal_safe

    if not action.divisions:
        return "the whole organization"
    names = [terminal_safe(n, single_line=True) for n in action.divisions]
    if len(names) > NAMED_DIVISIONS:
        return f"{', '.join(names[:NAMED_DIVISIONS])} and {len(names) - NAMED_DIVISIONS} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _heading(action: PlanAction, kind: ActionKind, start: float, estimated: bool) -> str:
    """ "Champions network in Sales from Mar 2027" (with the fitted start when estimated)."""
    scope = _scope_words(action)
    where = "across the whole organization" if not action.divisions else f"in {scope}"
    text = f"{kind.label} {where} from {month_year(decimal_year(action.start))}"
    if estimated:
        text += f" (start estimated at {month_year(start)})"
    return text


def _times(value: float) -> str:
    """A growth multiple as people read it: "1.8x"."""
    return f"{value:.1f}x"


def _interval(low: float, high: float) -> str:
    """An effect's interval as growth multiples: "1.3-2.4"."""
    return f"{1 + low:.1f}-{1 + high:.1f}"


def _shock_shape(action: PlanAction, kind: ActionKind) -> ShockShape:
    """A campaign with an end is rectangular; otherwise the kind's shape."""
    return "rectangular" if action.end is not None else kind.shape


def check_action(
    observations: Observations,
    action: PlanAction,
    kind: ActionKind,
    *,
    estimate_start: bool = False,
    assumed_effect: float | None = None,
    measured_effect: MeasuredEffect | None = None,
) -> ActionCheck:
    """Did ``action`` (of ``kind``) work, as the scope's measured monthly active share
    ``observations`` (shares 0-1, cumulative) say? The GBM with the action's shock next to plain
    Bass (see the module), the effect with its 95% interval, the counterfactual and the sentence
    every surface shows.

    ``estimate_start`` fits the start instead of holding it at the action's date.
    ``assumed_effect`` is the ``c`` the plan assumed for the scope, ``measured_effect`` the
    effect the plan keeps for the kind from an earlier check (it replaces the assumption); the
    check says whether that lies within the measured interval. With fewer than
    :data:`MIN_MONTHS_AFTER` measured months after the start: too early to tell, no effect
    claimed. :class:`InputError` when fewer than :data:`MIN_MONTHS_BEFORE` months were measured
    before the start, or the values are not shares."""
    if observations.unit != "share" or observations.kind != "cumulative":
        raise InputError(
            f"{observations.source}: an action is checked against monthly active shares 0-1"
            f" (got {observations.kind} values in {observations.unit})"
        )
    start = decimal_year(action.start)
    x = observations.x
    heading = _heading(action, kind, start, estimated=False)
    before = int(np.sum(x < start))
    if before < MIN_MONTHS_BEFORE:
        raise InputError(
            f"{heading}: {before} measured month{'s' if before != 1 else ''} before the start"
            f" (at least {MIN_MONTHS_BEFORE} needed: the curve without the action rests on them)"
        )
    shape = _shock_shape(action, kind)
    after = int(np.sum(x > start))
    first_month, last_month = month_year(float(x[0])), month_year(float(x[-1]))
    if after < MIN_MONTHS_AFTER:
        return _too_early(
            observations, action, kind, shape, start, after, assumed_effect, measured_effect
        )
    from readiness.fitting import compare_with_bass, fit_bass

    end = _held_end(action, shape, float(x[-1]))
    windowed = _start_window(observations, start, end) if estimate_start else []
    if windowed:
        fit, (low, high) = _fit_searched_start(observations, shape, windowed, end)
        method = (
            f"profile likelihood over the start ({START_EARLIER_MONTHS} months before to"
            f" {START_LATER_MONTHS} after the action's date)"
        )
    else:
        fit = _fit_held_start(observations, shape, start, end)
        se = robust_stderr(fit)
        value = fit.params["c1"].value
        low, high = (None, None) if se is None else (value - Z95 * se, value + Z95 * se)
        method = "Wald, with a standard error robust to noise that differs by month (HC3)"
    bass = fit_bass(observations)
    comparison = compare_with_bass(fit, bass)
    curve = fit.curve_model()
    assert isinstance(curve, GeneralizedBassModel)
    fitted_start = fit.params["a1"].value
    months_after = comparison.after_start[0]
    verdict = comparison.verdict
    c = fit.params["c1"]
    if low is not None and high is not None:
        low, high = max(low, EFFECT_BOUNDS[0]), min(high, EFFECT_BOUNDS[1])
    duration, duration_kind = _duration(fit, shape, action, float(x[-1]))
    planned = _projection_params(fit, shape, action, float(x[-1]))
    target_share, target, earlier = _months_earlier(curve, planned, fit, float(x[-1]))
    curves = _curves(observations, curve, planned, earlier_end=target_share)
    heading = _heading(action, kind, fitted_start, estimated=bool(windowed))
    if verdict == "too early to tell":
        sentence = f"{heading}: {_too_early_words(months_after)}."
        effect = low = high = None
        earlier = target_share = None
        target = None
    else:
        effect = c.value
        sentence = _sentence(
            heading,
            verdict,
            effect,
            low,
            high,
            shape,
            duration,
            duration_kind,
            earlier,
            target,
            target_share,
        )
    return ActionCheck(
        action=action,
        kind=kind,
        shape=shape,
        start=fitted_start,
        start_estimated=bool(windowed),
        verdict=verdict,
        months_after=months_after,
        effect=effect,
        effect_low=low,
        effect_high=high,
        interval_method=method,
        duration_months=duration,
        duration=duration_kind,
        comparison=comparison,
        months_earlier=earlier,
        target_share=target_share,
        target=target,
        curves=curves,
        sentence=sentence,
        first_month=first_month,
        last_month=last_month,
        assumed_effect=assumed_effect,
        kept_effect=measured_effect,
        plan_sentence=_plan_sentence(assumed_effect, measured_effect, effect, low, high, verdict),
        fit=fit,
        bass=bass,
    )


def _fit_held_start(
    observations: Observations, shape: ShockShape, start: float, end: float | None
) -> FitResult:
    """The GBM with its shock's start held at ``start`` (and a campaign's end at ``end``)."""
    from readiness.fitting import model_for

    fixed = {"a1": start, **({} if end is None else {"b1": end})}
    return model_for("gbm", observations, shocks=(shape,)).fit(observations, fixed=fixed)


def robust_stderr(fit: FitResult, name: str = "c1") -> float | None:
    """The standard error of parameter ``name`` robust to noise whose size differs by month
    (MacKinnon and White's HC3 sandwich, ``(J'J)^-1 J' diag(e^2 / (1 - h)^2) J (J'J)^-1``, on
    the fit's free parameters not at a bound); ``None`` when it is held, at a bound, or the
    Jacobian is singular.

    A monthly active share is a binomial proportion: its noise is largest near 50% and smallest
    near 0, so the least-squares standard error, which pools it, is too small for an effect
    measured in months of fast growth (a campaign's interval then covers the truth in 88% of
    simulated divisions instead of 95%; bench/bench_gbm.py)."""
    obs = fit.observations
    curve = fit.curve_model()
    parameter = fit.params[name]
    if parameter.fixed or parameter.at_bound:
        return None
    scale = obs.scale
    scaled = {
        k: p.value / scale if k in curve.value_parameters else p.value
        for k, p in fit.params.items()
    }
    free = [k for k in fit.free if not fit.params[k].at_bound and k in scaled]
    held = {k: v for k, v in scaled.items() if k not in free}
    residuals = curve.residuals(obs.x, obs.y / scale, obs.previous, obs.kind, held)
    theta = np.array([scaled[k] for k in free])
    errors = residuals(theta)
    jacobian = np.empty((errors.size, theta.size))
    for j in range(theta.size):
        step = 1e-6 * max(abs(float(theta[j])), 1e-3)
        up, down = theta.copy(), theta.copy()
        up[j] += step
        down[j] -= step
        jacobian[:, j] = (residuals(up) - residuals(down)) / (2 * step)
    try:
        bread = np.linalg.inv(jacobian.T @ jacobian)
    except np.linalg.LinAlgError:
        return None
    leverage = np.clip(np.einsum("ij,jk,ik->i", jacobian, bread, jacobian), 0.0, 0.99)
    meat = jacobian.T @ (jacobian * (errors**2 / (1 - leverage) ** 2)[:, None])
    variance = float((bread @ meat @ bread)[free.index(name), free.index(name)])
    if not (math.isfinite(variance) and variance >= 0):
        return None
    factor = scale if name in curve.value_parameters else 1.0
    return math.sqrt(variance) * factor


def _start_window(observations: Observations, start: float, end: float | None) -> list[float]:
    """The starts an estimated start is searched over (decimal years): between measured months
    (where the fit is smooth in the start), from :data:`START_EARLIER_MONTHS` before the
    action's date to :data:`START_LATER_MONTHS` after it, each leaving the months a check needs
    before and after it (and before a campaign's end)."""
    x = observations.x
    between = (x[:-1] + x[1:]) / 2
    earliest = start - START_EARLIER_MONTHS / 12 - 1e-9
    latest = start + START_LATER_MONTHS / 12 + 1e-9
    return [
        float(a)
        for a in between
        if earliest <= a <= latest
        and np.sum(x < a) >= MIN_MONTHS_BEFORE
        and np.sum(x > a) >= MIN_MONTHS_AFTER
        and (end is None or a < end)
    ]


def _fit_searched_start(
    observations: Observations, shape: ShockShape, starts: Sequence[float], end: float | None
) -> tuple[FitResult, tuple[float | None, float | None]]:
    """The GBM with its start estimated over ``starts`` (the least sum of squares), as a fit
    whose start counts as estimated, and the profile-likelihood 95% interval of its effect.

    A start searched anywhere in the history lets a later, unrelated bend stand in for the
    action (the interval of ``c`` then covers the truth in about 80% of simulated divisions);
    searched near the action's date, and with the interval profiled over the start, it covers
    it in 90% or more (bench/bench_gbm.py). The profile deviance of ``c`` is the least over the
    starts of ``n ln(SSE_a / SSE_min)`` plus the squared distance from each start's fit in its
    standard errors (:func:`robust_stderr`); the interval is where it stays below the
    chi-squared 95% point (1 degree of freedom)."""
    from readiness.fitting.result import FitParameter

    fits = [_fit_held_start(observations, shape, a, end) for a in starts]
    best = min(fits, key=lambda f: f.sse)
    least = max(best.sse, 1e-300)
    lows, highs = [], []
    for fit in fits:
        c, se = fit.params["c1"], robust_stderr(fit)
        deviance = fit.n * math.log(max(fit.sse, 1e-300) / least)
        if se is None or deviance >= CHI2_95:
            continue
        half = se * math.sqrt(CHI2_95 - deviance)
        lows.append(c.value - half)
        highs.append(c.value + half)
    interval = (min(lows), max(highs)) if lows else (None, None)
    # The start was estimated (by the search): a free parameter for the comparison with plain
    # Bass (a change point) and the information criteria, with no standard error of its own.
    free = tuple(name for name in best.params if name in best.free or name == "a1")
    covariance = None
    if best.covariance is not None:
        index = {name: i for i, name in enumerate(best.free)}
        covariance = tuple(
            tuple(
                0.0
                if row not in index or col not in index
                else best.covariance[index[row]][index[col]]
                for col in free
            )
            for row in free
        )
    params = dict(best.params)
    params["a1"] = FitParameter(value=params["a1"].value, stderr=None)
    searched = best.model_copy(
        update={
            "params": params,
            "free": free,
            "covariance": covariance,
            "aic": best.aic + 2.0,
            "bic": best.bic + math.log(best.n),
        }
    )
    return searched, interval


def _held_end(action: PlanAction, shape: ShockShape, last: float) -> float | None:
    """A rectangular shock's end as the fit holds it: the action's end, or the last measured
    month when it has none or ends later (the effect measured so far)."""
    if shape != "rectangular":
        return None
    if action.end is None:
        return last
    return min(decimal_year(action.end), last)


def _duration(
    fit: FitResult, shape: ShockShape, action: PlanAction, last: float
) -> tuple[float | None, Duration]:
    """Months the effect holds (rectangular) or its half-life (exponential)."""
    start, b = fit.params["a1"].value, fit.params["b1"].value
    if shape == "rectangular":
        ended = action.end is not None and decimal_year(action.end) <= last
        return max(b - start, 0.0) * 12.0, "to its end" if ended else "to the last measured month"
    if b >= 0:
        return None, "not fading"
    return math.log(2.0) / -b * 12.0, "half-life"


def _projection_params(
    fit: FitResult, shape: ShockShape, action: PlanAction, last: float
) -> dict[str, float]:
    """The fitted parameters, a campaign carried on as planned past the measured months: to its
    end, or (a lasting action) to past any horizon."""
    params = {name: p.value for name, p in fit.params.items()}
    if shape == "rectangular":
        end = decimal_year(action.end) if action.end is not None else math.inf
        params["b1"] = max(end, params["b1"]) if end > last else params["b1"]
        if not math.isfinite(params["b1"]):
            params["b1"] = last + SEARCH_YEARS
    return params


def _reaching(curve: GeneralizedBassModel, params: dict[str, float], share: float) -> float | None:
    """The decimal year the curve with ``params`` first reaches ``share`` (None: never within
    :data:`SEARCH_YEARS`); its growth ``X`` never falls, so a bisection finds it."""
    from readiness.fitting.bass_model import bass_years_to

    m = params["m"]
    if not 0 < share < m:
        return None
    needed = float(bass_years_to(share / m, params["p"], params["q"]))
    launch = float(curve.launch_of(params))

    def growth(t: float) -> float:
        return t - launch + float(curve.shocks_integral(params, t))

    low, high = launch, launch + needed + SEARCH_YEARS
    if growth(high) < needed:
        return None
    for _ in range(80):  # to well below a day
        middle = (low + high) / 2
        if growth(middle) < needed:
            low = middle
        else:
            high = middle
    return high


def _months_earlier(
    curve: GeneralizedBassModel, params: dict[str, float], fit: FitResult, last: float
) -> tuple[float | None, Target | None, float | None]:
    """The share dated (50%, or the share reached at the last measured month when 50% is not
    reached within :data:`HORIZON_YEARS`), which it is, and how many months sooner the curve
    with the action reaches it than without (None when either never does)."""
    without = {**params, "c1": 0.0}
    share: float = TARGET_SHARE
    target: Target = "50%"
    with_action = _reaching(curve, params, share)
    start_share = float(curve.cumulative(params, params["a1"]))
    if with_action is None or with_action > last + HORIZON_YEARS or start_share >= share:
        share, target = float(curve.cumulative(params, last)), "last measured share"
        with_action = _reaching(curve, params, share)
    no_action = _reaching(curve, without, share)
    if with_action is None or no_action is None:
        return share, target, None
    return share, target, (no_action - with_action) * 12.0


def _curves(
    observations: Observations,
    curve: GeneralizedBassModel,
    params: dict[str, float],
    earlier_end: float | None,
) -> pd.DataFrame:
    """The measured months and monthly steps past them, to when the curve without the action
    reaches the dated share (at least a year, at most :data:`HORIZON_YEARS`): observed, with
    the action, without it."""
    import pandas as pd

    x = observations.x
    last = float(x[-1])
    until = last + 1.0
    if earlier_end is not None:
        reached = _reaching(curve, {**params, "c1": 0.0}, earlier_end)
        if reached is not None:
            until = max(until, reached + 0.25)
    until = min(until, last + HORIZON_YEARS)
    ahead = last + np.arange(1, math.floor((until - last) * 12 + 1e-9) + 1) / 12.0
    years = np.concatenate([x, ahead])
    observed = np.concatenate([observations.y, np.full(ahead.size, np.nan)])
    return pd.DataFrame(
        {
            "year": years,
            "observed": observed,
            "with_action": curve.cumulative(params, years),
            "without_action": curve.without_shocks(params, years),
        }
    )


def _too_early_words(months: int) -> str:
    return (
        f"too early to tell ({months} measured month{'s' if months != 1 else ''} since the"
        f" start; at least {MIN_MONTHS_AFTER} needed)"
    )


def _too_early(
    observations: Observations,
    action: PlanAction,
    kind: ActionKind,
    shape: ShockShape,
    start: float,
    after: int,
    assumed: float | None,
    kept: MeasuredEffect | None,
) -> ActionCheck:
    """The check before enough months were measured after the start: no fit, no effect."""
    import pandas as pd

    x = observations.x
    curves = pd.DataFrame(
        {
            "year": x,
            "observed": observations.y,
            "with_action": np.full(x.size, np.nan),
            "without_action": np.full(x.size, np.nan),
        }
    )
    heading = _heading(action, kind, start, estimated=False)
    return ActionCheck(
        action=action,
        kind=kind,
        shape=shape,
        start=start,
        start_estimated=False,
        verdict="too early to tell",
        months_after=after,
        effect=None,
        effect_low=None,
        effect_high=None,
        interval_method="",
        duration_months=None,
        duration="to the last measured month" if shape == "rectangular" else "half-life",
        comparison=None,
        months_earlier=None,
        target_share=None,
        target=None,
        curves=curves,
        sentence=f"{heading}: {_too_early_words(after)}.",
        first_month=month_year(float(x[0])),
        last_month=month_year(float(x[-1])),
        assumed_effect=assumed,
        kept_effect=kept,
        plan_sentence=_plan_sentence(assumed, kept, None, None, None, "too early to tell"),
    )


def _effect_words(
    effect: float,
    low: float | None,
    high: float | None,
    shape: ShockShape,
    duration: float | None,
    duration_kind: Duration,
) -> str:
    """ "growth about 1.8x (1.3-2.4) for about 5 months"."""
    interval = (
        f" ({_interval(low, high)})"
        if low is not None and high is not None
        else " (no interval: the fit gives none)"
    )
    text = f"growth about {_times(1 + effect)}{interval}"
    if shape == "rectangular":
        return text + (f" for {months_text(duration)}" if duration is not None else "")
    if duration_kind == "not fading" or duration is None:
        return text + " at first, not fading within the months measured"
    return text + f" at first, its extra halving in {months_text(duration)}"


def _sentence(
    heading: str,
    verdict: Verdict,
    effect: float,
    low: float | None,
    high: float | None,
    shape: ShockShape,
    duration: float | None,
    duration_kind: Duration,
    earlier: float | None,
    target: Target | None,
    target_share: float | None,
) -> str:
    """The check in one sentence, as every surface shows it."""
    words = _effect_words(effect, low, high, shape, duration, duration_kind)
    if verdict != "supported":
        return f"{heading}: the data cannot tell its effect from no effect: {words}."
    text = f"{heading}: {words}"
    if earlier is not None and target_share is not None:
        level = "50%" if target == "50%" else f"{target_share:.0%} (the last measured share)"
        if abs(earlier) < 0.5:
            text += f"; {level} reached at about the same time as without"
        else:
            side = "earlier" if earlier > 0 else "later"
            text += f"; {level} reached {months_text(abs(earlier))} {side} than without"
    return text + "."


def _plan_sentence(
    assumed: float | None,
    kept: MeasuredEffect | None,
    effect: float | None,
    low: float | None,
    high: float | None,
    verdict: Verdict,
) -> str | None:
    """The measured effect against the plan's: "the plan assumed 1.4x; measured 1.8x
    (1.3-2.4): consistent"."""
    planned = _planned_effect(assumed, kept)
    if planned is None:
        return None
    said = (
        f"the plan keeps a measured {_times(1 + planned)}"
        if kept is not None
        else f"the plan assumed {_times(1 + planned)}"
    )
    if verdict == "too early to tell" or effect is None:
        return f"{said}; too early to tell"
    if low is None or high is None:
        return f"{said}; measured {_times(1 + effect)} without an interval: nothing to compare"
    measured = f"measured {_times(1 + effect)} ({_interval(low, high)})"
    if low <= planned <= high:
        return f"{said}; {measured}: consistent"
    what = "the plan's kept effect" if kept is not None else "the plan's assumption"
    return f"{said}; {measured}: {what} is outside; keep the measured effect in the plan?"


def to_measured_effect(check: ActionCheck) -> MeasuredEffect:
    """What the plan keeps for the action's kind when the user accepts the measured effect:
    ``c`` with its 95% interval, the half-life (months) of a fading kind, and a note naming the
    scope and the months measured. :class:`InputError` when the check measured no effect with an
    interval (too early to tell)."""
    if check.effect is None or check.effect_low is None or check.effect_high is None:
        raise InputError(
            f"{check.sentence} No measured effect with an interval to keep in the plan."
        )
    low, high = EFFECT_BOUNDS
    effect = min(max(check.effect, low), high)
    half_life = None
    if check.shape == "exponential" and check.duration_months is not None:
        half_life = min(check.duration_months, 240.0)
    note = (
        f"{_scope_words(check.action)}, {month_year(check.start)} - {check.last_month}"
        f" ({check.months_after} months measured since the start"
        f"{', start estimated' if check.start_estimated else ''})"
    )
    return MeasuredEffect(
        effect=effect,
        low=min(max(check.effect_low, low), effect),
        high=max(min(check.effect_high, high), effect),
        half_life_months=half_life,
        note=note if len(note) <= 500 else note[:497] + "...",
    )
