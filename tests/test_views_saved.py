"""The Saved page's listing: what its completeness column says."""

from __future__ import annotations

import pytest

from readiness.views.saved import completeness


@pytest.mark.parametrize(
    ("answered", "overall", "expected"),
    [
        (25, 61.0, "complete (25 of 25 answered)"),
        (17, 63.0, "scored (17 of 25 answered)"),  # a score, but questions left open
        (1, None, "incomplete (1 of 25 answered)"),
        (25, None, "incomplete (25 of 25 answered)"),  # answered, yet no score: never "complete"
    ],
)
def test_completeness_says_whether_all_is_answered_and_whether_it_scores(
    answered: int, overall: float | None, expected: str
) -> None:
    assert completeness(answered, 25, overall) == expected


def test_each_version_restore_has_a_submission_id_of_its_own() -> None:
    from readiness.views.saved import restore_submission_id

    first, second = restore_submission_id(), restore_submission_id()
    assert first.startswith("restore-")
    assert first != second
