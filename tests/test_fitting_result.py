"""A fit result presents itself (a summary table and text) and keeps the model it was fitted
with."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
from fitting_fixtures import sales_history

from readiness.fitting import BassModel, FitResult, fit_bass, fit_model


def test_summary_is_a_frame_and_a_text(tmp_path: Path) -> None:
    fit = fit_bass(sales_history())
    summary = fit.summary()
    assert list(summary.columns) == [
        "parameter",
        "value",
        "standard error",
        "low 95%",
        "high 95%",
        "at bound",
        "fixed",
    ]
    assert list(summary["parameter"]) == ["p", "q", "m", "launch"]
    row = summary.set_index("parameter").loc["q"]
    assert row["value"] == fit.params["q"].value
    assert row["low 95%"] < row["value"] < row["high 95%"]
    text = fit.summary_text()
    assert text.startswith("model: bass")
    assert "ceiling m as a count" in text
    assert "converged: yes" in text
    assert f"{fit.params['m'].value:.6g}" in text


def test_fit_result_is_the_public_entry_point() -> None:
    fit = fit_model("bass", sales_history())
    assert isinstance(fit, FitResult)
    assert isinstance(fit.curve_model(), BassModel)
    assert fit.launch == 1948


def test_a_result_keeps_its_model_through_copies_and_pickling() -> None:
    """Dashboard caches pickle results; a ranking copies the best one."""
    fit = fit_bass(sales_history())
    for again in (pickle.loads(pickle.dumps(fit)), fit.model_copy(update={"model_choice": "x"})):
        assert again.curve_model() == fit.curve_model()
        assert again.launch == fit.launch
        np.testing.assert_array_equal(
            again.predict([1962.0, 1963.0]), fit.predict([1962.0, 1963.0])
        )
    assert pickle.loads(pickle.dumps(fit)) == fit
    assert "curve" not in fit.model_dump()
