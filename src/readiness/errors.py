"""Errors that carry messages meant for a person, never a traceback."""

from __future__ import annotations

from collections.abc import Iterable


class InputError(ValueError):
    """Bad input from a user: one clear line per problem.

    Each problem names where it is (file, row, field) and what is wrong with it.
    """

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        if not self.problems:
            self.problems = ["invalid input"]
        super().__init__("\n".join(self.problems))
