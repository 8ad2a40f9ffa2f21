"""Fitting every model a history supports and ranking them by AIC, with the choice in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from readiness.errors import InputError
from readiness.fitting.model_names import FIT_MODELS, FitModelName
from readiness.fitting.models import model_for
from readiness.fitting.observations import Observations
from readiness.fitting.result import FitResult, RankedModel

#: Two fits whose sums of squares differ by less than this (relative) fit the data identically.
EQUIVALENT_SSE = 1e-9
#: Models within this many AIC units of the best are not ranked: the data do not tell them apart.
INDISTINGUISHABLE_AIC = 2.0


def fit_model(
    model: FitModelName | Literal["auto"], obs: Observations, *, ceiling: float | None = None
) -> FitResult:
    """Fit one named model, or ``auto``: all that the data allow, best AIC first.

    ``ceiling``, when given, is held fixed: a share 0-1, or a count without a population."""
    if model == "auto":
        return fit_auto(obs, ceiling=ceiling)
    return model_for(model, obs).fit(obs, ceiling=ceiling)


def _same_sse(a: float, b: float) -> bool:
    return abs(a - b) <= EQUIVALENT_SSE * max(abs(a), abs(b), 1e-300)


def _choice_sentence(ranking: Sequence[RankedModel], kind: str) -> str:
    """The model choice in words: equivalent families, then what the AIC can and cannot tell."""
    names = {"logistic": "logistic", "gompertz": "Gompertz", "bass": "Bass"}
    parts: list[str] = []
    seen: set[str] = set()
    for r in ranking:
        if r.equivalent_to and r.model not in seen:
            group = (r.model, *r.equivalent_to)
            seen.update(group)
            family = " and ".join(names[m] for m in group)
            parts.append(f"{family} fit these {kind} data identically (the same family)")
    best = ranking[0]
    close = [
        r.model
        for r in ranking[1:]
        if r.delta_aic < INDISTINGUISHABLE_AIC and r.model not in best.equivalent_to
    ]
    if close:
        shown = " and ".join(names[m] for m in close)
        parts.append(
            f"{shown} {'is' if len(close) == 1 else 'are'} within {INDISTINGUISHABLE_AIC:g} AIC"
            f" of {names[best.model]}: the data do not tell them apart"
        )
    else:
        lead = " (and its equivalent)" if best.equivalent_to else ""
        parts.append(f"{names[best.model]}{lead} fits best by AIC")
    return "; ".join(parts)


def fit_auto(
    obs: Observations,
    *,
    ceiling: float | None = None,
    models: Sequence[FitModelName] = FIT_MODELS,
) -> FitResult:
    """Fit each model and return the one with the lowest AIC, with the full ``ranking``.

    Models that fit the data identically (equal sums of squares within 1e-9 relative) are
    reported as equivalent; models within 2 AIC of the best as indistinguishable
    (``model_choice`` says it in words). Models the data cannot support (e.g. too few points for
    Bass's parameters) are listed in ``skipped`` with the reason; if none can be fitted the
    first reason is raised.
    """
    fits: list[FitResult] = []
    skipped: dict[str, str] = {}
    for model in models:
        try:
            fits.append(model_for(model, obs).fit(obs, ceiling=ceiling))
        except InputError as error:
            skipped[model] = "; ".join(error.problems)
    if not fits:
        raise InputError(list(dict.fromkeys(skipped.values())))

    def equivalent_fits(f: FitResult) -> list[FitResult]:
        return [
            g
            for g in fits
            if g is not f and len(g.free) == len(f.free) and _same_sse(f.sse_in_unit, g.sse_in_unit)
        ]

    # Equivalent models share one AIC (they differ by rounding only) and keep the models'
    # order among themselves, so the choice between them does not depend on the last digit.
    order = {m: i for i, m in enumerate(models)}
    shared_aic = {f.model: min([f.aic, *(g.aic for g in equivalent_fits(f))]) for f in fits}
    fits.sort(key=lambda f: (shared_aic[f.model], order[f.model]))
    best_aic = fits[0].aic
    ranking = []
    for f in fits:
        equivalent = tuple(g.model for g in equivalent_fits(f))
        # Within 2 AIC of the best (the best itself: when another model is within 2 of it).
        close = any(
            g is not f
            and g.model not in equivalent
            and (g is fits[0] or f is fits[0])
            and abs(g.aic - f.aic) < INDISTINGUISHABLE_AIC
            for g in fits
        )
        ranking.append(
            RankedModel(
                model=f.model,
                aic=f.aic,
                bic=f.bic,
                r2=f.r2,
                sse=f.sse_in_unit,
                delta_aic=f.aic - best_aic,
                equivalent_to=equivalent,
                indistinguishable=close,
            )
        )
    choice = _choice_sentence(ranking, obs.kind)
    return fits[0].model_copy(
        update={"ranking": tuple(ranking), "skipped": skipped, "model_choice": choice}
    )
