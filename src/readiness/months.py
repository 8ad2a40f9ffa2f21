"""Calendar months as measured adoption names them ("2026-03") and as curves place them."""

from __future__ import annotations


def month_midpoint(month: str) -> float:
    """ "2026-03" as the decimal year of the month's middle (2026.2083): where a measured
    month's share sits on a fitted curve."""
    year, number = month.split("-")
    return int(year) + (int(number) - 0.5) / 12.0
