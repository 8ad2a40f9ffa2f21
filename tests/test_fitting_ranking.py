"""Model choice: every model the data support, ranked by AIC; equivalent families and
indistinguishable models said in words."""

from __future__ import annotations

import numpy as np
import pytest
from fitting_fixtures import YEARS, frame, gompertz, history, logistic, sales_history

from readiness.fitting import fit_auto, read_observations


def test_auto_picks_the_model_that_generated_the_data() -> None:
    rng = np.random.default_rng(7)
    y = gompertz(YEARS, 5.0, 0.2, 0.7) + rng.normal(0, 0.003, YEARS.size)
    fit = fit_auto(history(y))
    assert fit.model == "gompertz"
    assert fit.ranking[0].model == "gompertz"
    assert sorted(r.aic for r in fit.ranking) == [r.aic for r in fit.ranking]


def test_auto_skips_models_the_data_cannot_support_and_says_why() -> None:
    x = np.arange(2005.0, 2009.0)
    fit = fit_auto(history(logistic(x, 0.8, 2008, 0.9) + np.array([0.001, -0.001, 0.002, 0]), x=x))
    assert {r.model for r in fit.ranking} == {"logistic", "gompertz"}
    assert fit.skipped == {
        "bass": "data: bass needs at least 5 observations (4 parameters + 1); got 4"
    }


def test_logistic_and_bass_are_reported_equivalent_on_per_period_data() -> None:
    fit = fit_auto(sales_history())
    by_model = {r.model: r for r in fit.ranking}
    assert by_model["bass"].equivalent_to == ("logistic",)
    assert by_model["logistic"].equivalent_to == ("bass",)
    assert by_model["bass"].sse == pytest.approx(by_model["logistic"].sse, rel=1e-9)
    assert "logistic and Bass fit these per-period data identically" in fit.model_choice.replace(
        "Bass and logistic", "logistic and Bass"
    )


def test_models_within_2_aic_are_called_indistinguishable() -> None:
    years = np.arange(2000.0, 2012.0)
    rng = np.random.default_rng(0)
    values = 0.7 / (1 + np.exp(-0.5 * (years - 2008))) + rng.normal(0, 0.02, years.size)
    fit = fit_auto(read_observations(frame(years, np.clip(values, 0.001, 1))))
    best = fit.ranking[0]
    for r in fit.ranking[1:]:
        close = r.aic - best.aic < 2
        assert r.indistinguishable == close
        assert (r.model in fit.model_choice.lower()) == close
    assert best.indistinguishable == any(r.aic - best.aic < 2 for r in fit.ranking[1:])


def test_between_equivalent_models_the_choice_follows_the_models_order_not_rounding() -> None:
    obs = sales_history()
    for models in (("bass", "logistic"), ("logistic", "bass")):
        fit = fit_auto(obs, models=models)
        assert fit.model == models[0]
        assert [r.model for r in fit.ranking] == list(models)
        assert fit.ranking[1].delta_aic == pytest.approx(0.0, abs=1e-6)
        assert not fit.ranking[1].indistinguishable  # identical, which is said instead
        assert "fit these per-period data identically" in fit.model_choice
