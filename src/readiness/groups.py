"""Small groups merged for anonymity: the one rule for every surface that shows results by group.

Survey results per division (the survey page, Compare, downloads, the report, ``readiness
score``) and measured adoption per division (the Measured adoption page, ``readiness usage``)
all follow :func:`merge_small_groups`, with the minimum from the settings
(``READINESS_MIN_GROUP_SIZE``, :func:`min_group_size`):

1. Everyone together fewer than the minimum: nothing by group, the whole organization only.
2. Every division with fewer than the minimum is merged into "other divisions".
3. While "other divisions" is itself under the minimum, or holds a single division (which
   anyone could work out as the whole organization minus the divisions shown), the smallest
   division still shown joins it (ties by name).
4. When that leaves no division on its own, "other divisions" would be the whole organization:
   nothing by group.

So every group shown has at least the minimum, and "other divisions" is never one division.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readiness.settings import checked, load_settings

#: The group small divisions are merged into, on every surface.
OTHER_DIVISIONS = "other divisions"


def min_group_size() -> int:
    """The configured minimum group size (``READINESS_MIN_GROUP_SIZE``), read now; a value that
    is not a whole number from 1 to 1000 is an :class:`~readiness.errors.InputError`."""
    settings = load_settings()
    checked(settings, "min_group_size")
    return settings.min_group_size


def rule_text(minimum: int, unit: str = "respondents") -> str:
    """The merge rule in words, for a page, a report or ``--help``."""
    return (
        f"Divisions with fewer than {minimum} {unit} are merged into '{OTHER_DIVISIONS}', so "
        "that nobody's answers can be singled out (anonymity); a division that would be merged "
        "alone is joined by the next smallest, so it cannot be worked out by subtracting the "
        "others from the whole organization."
    )


@dataclass(frozen=True)
class GroupMerge:
    """Which groups are shown as they are, which are merged, and whether any is shown at all."""

    minimum: int
    sizes: Mapping[str, int]
    shown: tuple[str, ...]  # each at least ``minimum``, in the order given
    merged: tuple[str, ...]  # into OTHER_DIVISIONS: none, or at least two (sorted by name)
    small: int  # how many of the groups have fewer than ``minimum``

    @property
    def whole_only(self) -> bool:
        """Nothing is shown by group: only the organization as a whole."""
        return not self.shown

    @property
    def groups(self) -> tuple[str, ...]:
        """The names shown, in order: the divisions kept, then OTHER_DIVISIONS if any merged."""
        return (*self.labels.values(), *([OTHER_DIVISIONS] if self.merged else []))

    @property
    def labels(self) -> dict[str, str]:
        """Each kept division's name as shown: one called like the merged group is told apart."""
        return {name: f"{name} (division)" if _reserved(name) else name for name in self.shown}

    def group_of(self, name: str) -> str | None:
        """Where the division ``name`` is counted: its own label, OTHER_DIVISIONS, or nowhere
        (the whole organization only)."""
        if name in self.merged:
            return OTHER_DIVISIONS
        return self.labels.get(name)

    def note(self, unit: str = "respondents") -> str | None:
        """What happened to this data's divisions, in words (None when every one is shown)."""
        total = sum(self.sizes.values())
        if self.whole_only and self.sizes:
            if total < self.minimum:
                return (
                    f"Fewer than {self.minimum} {unit} in all: no results by division (for "
                    "anonymity), only the whole organization's."
                )
            return (
                f"{self.small} of {len(self.sizes)} divisions "
                f"{'has' if self.small == 1 else 'have'} fewer than {self.minimum} "
                f"{unit}; merged, they would be the whole organization: no results by division "
                "(for anonymity), only the whole organization's."
            )
        if not self.merged:
            return None
        joined = len(self.merged) - self.small
        why = f"{self.small} with fewer than {self.minimum} {unit}"
        if joined:
            why += f" and {'the next smallest' if joined == 1 else f'the {joined} next smallest'}"
        return f"{len(self.merged)} divisions ({why}) merged into '{OTHER_DIVISIONS}'."


def _reserved(name: str) -> bool:
    return name.strip().casefold() == OTHER_DIVISIONS


def merge_small_groups(sizes: Mapping[str, int], minimum: int | None = None) -> GroupMerge:
    """Apply the merge rule (module docstring) to ``sizes`` (division -> respondents or people;
    0 for a division absent somewhere). ``minimum`` defaults to :func:`min_group_size`."""
    least = min_group_size() if minimum is None else minimum
    if least < 1:
        raise ValueError(f"the minimum group size must be at least 1 (got {least})")
    small = sum(1 for size in sizes.values() if size < least)
    merged = {name for name, size in sizes.items() if size < least}
    remaining = sorted((size, name) for name, size in sizes.items() if name not in merged)
    while merged and remaining and (len(merged) == 1 or _total(sizes, merged) < least):
        merged.add(remaining.pop(0)[1])
    shown = tuple(name for name in sizes if name not in merged)
    if not shown or sum(sizes.values()) < least:
        return GroupMerge(least, dict(sizes), (), (), small)
    return GroupMerge(least, dict(sizes), shown, tuple(sorted(merged)), small)


def _total(sizes: Mapping[str, int], names: set[str]) -> int:
    return sum(sizes[name] for name in names)
