"""Writes the evidence sample files in this folder (deterministic; run to rebuild them).

Ten divisions answer a survey shaped as Microsoft Forms exports it (metadata columns, the
division as "Department", question texts as headers, agreement as labels) and use the tools
for 24 months, measured by an event log (``user,timestamp,action``) and a roster. Their use is
driven by a known mapping that differs from data/levers.yaml: Grassroots moves p and q, Tooling
the ceiling, Support nothing; so a calibration is offered. The survey calls one division
"Sales", measured adoption "Sales & Marketing": mapped once by the user.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

HERE = Path(__file__).parent
DIVISIONS = [
    "Sales",
    "Engineering",
    "Finance",
    "Legal",
    "Operations",
    "Research",
    "Support",
    "Marketing",
    "Logistics",
    "Procurement",
]
MEASURED_NAME = {"Sales": "Sales & Marketing"}
RESPONDENTS = 20
PEOPLE = 150
MONTHS = 24
FIRST_YEAR = 2024
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def questions() -> list[tuple[str, str, str, bool]]:
    from readiness.questionnaire import load_questionnaire

    return [
        (item.id, item.dimension or "", item.text, item.reverse)
        for item in load_questionnaire().items
        if item.kind == "likert" and item.dimension
    ]


def truth(scores: dict[str, float]) -> tuple[float, float, float]:
    """p and q per year and the ceiling of a division with these scores (0-100)."""
    g, t = scores["grassroots"] / 100, scores["tooling"] / 100
    p = 0.01 * (0.3 / 0.01) ** g
    q = 0.3 + 0.9 * g
    ceiling = 0.3 + 0.65 * t
    return p, q, ceiling


def bass(t: float, p: float, q: float) -> float:
    e = math.exp(-(p + q) * t)
    return (1 - e) / (1 + q / p * e)


def main() -> None:
    rng = random.Random(19)
    items = questions()
    rows = []
    sheet_id = 1
    levels: dict[str, dict[str, float]] = {}
    for k, division in enumerate(DIVISIONS):
        # each dimension's level spread over the divisions, independently
        level = {
            "grassroots": 25 + 60 * ((k * 7) % 10) / 9,
            "support": 25 + 60 * ((k * 3) % 10) / 9,
            "tooling": 25 + 60 * ((k * 9 + 4) % 10) / 9,
        }
        levels[division] = level
        for _ in range(RESPONDENTS):
            answers = []
            for _id, dimension, _text, reverse in items:
                agreement = 1 + 4 * level[dimension] / 100 + rng.gauss(0, 0.6)
                point = min(5, max(1, round(agreement)))
                answers.append(LABELS[(6 - point if reverse else point) - 1])
            minute = sheet_id % 50
            rows.append(
                [
                    sheet_id,
                    f"11/2/26 9:{minute:02d}:00",
                    f"11/2/26 9:{minute + 5:02d}:00",
                    "anonymous",
                    "",
                    "",
                    division,
                    *answers,
                ]
            )
            sheet_id += 1
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Department",
        *(text for _id, _dim, text, _rev in items),
    ]
    with open(HERE / "survey.csv", "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([header, *rows])

    with (
        open(HERE / "roster.csv", "w", newline="") as r,
        open(HERE / "events.csv", "w", newline="") as e,
    ):
        roster, events = csv.writer(r), csv.writer(e)
        roster.writerow(["user", "division", "start_date", "end_date"])
        events.writerow(["user", "timestamp", "action"])
        for k, division in enumerate(DIVISIONS):
            p, q, ceiling = truth(levels[division])
            users = [f"d{k:02d}p{n:03d}@example.com" for n in range(PEOPLE)]
            for user in users:
                roster.writerow([user, MEASURED_NAME.get(division, division), "", ""])
            for month in range(MONTHS):
                share = ceiling * bass((month + 0.5) / 12, p, q)
                year, m = FIRST_YEAR + month // 12, month % 12 + 1
                for user in users:
                    if rng.random() < share:
                        events.writerow([user, f"{year}-{m:02d}-{rng.randint(1, 28):02d}", "post"])


if __name__ == "__main__":
    main()
