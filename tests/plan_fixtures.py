"""Files for the plan's tests: usage exports in which a champions network launched in one
division clearly speeds its adoption, and survey waves in which one division's Support rises.

The usage is an event log (``user,timestamp,action``) and a roster (``user,division``): each
month, the first ``round(share x people)`` people of a division post once. The shares follow the
Bass hazard month by month; in the launched division growth runs ``LAUNCH_EFFECT`` times faster
from the launch on, the other division carries on as before.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping

from survey_fixtures import LIKERT_LABELS, Q, simulated_answers

#: Growth in the launched division after the launch, as a multiple of growth before it.
LAUNCH_EFFECT = 3.0
LAUNCH = dt.date(2026, 3, 1)
FIRST_MONTH = dt.date(2025, 1, 1)
MONTHS = 22  # Jan 2025 to Oct 2026: 14 months before the launch, 8 after
PEOPLE = {"Sales": 240, "Engineering": 240}


def _month(index: int) -> dt.date:
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return dt.date(FIRST_MONTH.year + year, month + 1, 1)


def monthly_shares(
    launched: bool, *, p: float = 0.02, q: float = 0.5, m: float = 0.9
) -> list[float]:
    """Each month's active share 0-1 of a division: Bass growth (``p``, ``q`` per year, ceiling
    ``m``) from 5%, ``LAUNCH_EFFECT`` times faster from the launch when ``launched``."""
    share, shares = 0.05, []
    steps = 30  # per month
    for index in range(MONTHS):
        shares.append(share)
        speed = LAUNCH_EFFECT if launched and _month(index + 1) > LAUNCH else 1.0
        for _ in range(steps):
            share += speed * (p + q * share / m) * (m - share) / (12 * steps)
    return shares


def usage_files(launched: str = "Sales") -> tuple[bytes, bytes]:
    """An event log and its roster: two divisions of :data:`PEOPLE`, ``launched`` with the
    champions network from :data:`LAUNCH`."""
    events = io.StringIO()
    roster = io.StringIO()
    log = csv.writer(events, lineterminator="\n")
    people = csv.writer(roster, lineterminator="\n")
    log.writerow(["user", "timestamp", "action"])
    people.writerow(["user", "division", "start_date", "end_date"])
    for division, size in PEOPLE.items():
        users = [f"{division[:2].lower()}{n:03d}@example.com" for n in range(size)]
        people.writerows([user, division, "", ""] for user in users)
        for index, share in enumerate(monthly_shares(division == launched)):
            day = _month(index).replace(day=10).isoformat()
            log.writerows(
                [user, f"{day}T09:00:00Z", "post"] for user in users[: round(share * size)]
            )
    return events.getvalue().encode(), roster.getvalue().encode()


def wave_csv(
    sizes: Mapping[str, int],
    completed: str,
    *,
    raised: str | None = None,
    seed: int = 11,
) -> bytes:
    """A survey wave as Microsoft Forms exports it (``Completion time`` ``completed``, e.g.
    "3/15/27 10:04:10"), with every Support answer of division ``raised`` two points higher
    (lower on reverse-keyed items)."""
    divisions, rows = simulated_answers(sizes, seed=seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Department"]
    writer.writerow([*header, *(item.text for item in Q.items)])
    for number, (division, row) in enumerate(zip(divisions, rows, strict=True), start=1):
        cells = []
        for item in Q.items:
            value = row[item.id]
            if isinstance(value, str):
                cells.append(value)
                continue
            if division == raised and item.dimension == "support" and item.kind == "likert":
                value = min(5.0, value + 2) if not item.reverse else max(1.0, value - 2)
            cells.append(LIKERT_LABELS[int(value) - 1])
        writer.writerow([str(number), completed, completed, "anonymous", "", division, *cells])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
