"""Writes the usage sample files in this folder (deterministic; run to rebuild them).

Headers are the columns Microsoft and Slack document (see readiness.usage.formats). Forty
people in five divisions; adoption grows along an S-curve through 2025 (event log), then two
Viva Engage monthly exports (overlapping the log's last month) and a Teams export.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from pathlib import Path

HERE = Path(__file__).parent
DIVISIONS = {"Sales": 15, "Engineering": 15, "Legal": 3, "Finance": 4, "Support": 3}


def people() -> list[tuple[str, str]]:
    out, k = [], 1
    for division, size in DIVISIONS.items():
        for _ in range(size):
            out.append((f"p{k:02d}@example.com", division))
            k += 1
    return out


def share(month: int) -> float:
    """Adoption in month 1..12 of 2025: a logistic from ~8% towards 85%."""
    return 0.85 / (1 + math.exp(-0.6 * (month - 6.5)))


def main() -> None:
    rng = random.Random(11)
    staff = people()
    with open(HERE / "roster.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user", "division", "start_date", "end_date"])
        for k, (user, division) in enumerate(staff):
            start = "2025-03-01" if k == 5 else ""
            end = "2025-10-31" if k == 20 else ""
            w.writerow([user, division, start, end])
    # Who is active each month: a fixed order, so adoption only grows.
    order = [u for u, _ in staff]
    rng.shuffle(order)
    active = {m: order[: round(share(m) * len(order))] for m in range(1, 13)}
    with open(HERE / "events.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user", "timestamp", "action"])
        for m in range(1, 13):
            for user in active[m]:
                day = rng.randint(1, 28)
                w.writerow([user, f"2025-{m:02d}-{day:02d}T09:{rng.randint(10, 59)}:00Z", "post"])
                if rng.random() < 0.5:
                    w.writerow([user, f"2025-{m:02d}-{day:02d} 15:00:00", "comment"])
            for user in order[len(active[m]) :][:5]:  # readers only: not counted by default
                w.writerow([user, f"2025-{m:02d}-03", "view"])
        w.writerow(["contractor@example.com", "2025-12-04", "post"])  # not in the roster
        w.writerow(["p01@example.com", "31/31/2025", "post"])  # an unparseable date
    yammer = [
        "Report Refresh Date",
        "User Principal Name",
        "Display Name",
        "User State",
        "State Change Date",
        "Last Activity Date",
        "Posted Count",
        "Read Count",
        "Liked Count",
        "Assigned Products",
        "Report Period",
    ]
    # December (overlapping the event log) and January 2026, one 30-day export each.
    for refresh, users in (("2026-01-01", active[12]), ("2026-01-31", order[:36])):
        with open(HERE / f"yammer-activity-user-detail-{refresh}.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(yammer)
            for user, _ in staff:
                posted = 2 if user in users else 0
                w.writerow(
                    [
                        refresh,
                        user,
                        user.split("@")[0].upper(),
                        "Active",
                        "",
                        refresh if posted else "",
                        posted,
                        5,
                        0,
                        "MICROSOFT 365 E3",
                        30,
                    ]
                )
    # The same January export with concealed (hashed) user names, as Microsoft shows them.
    with open(HERE / "yammer-activity-user-detail-concealed.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(yammer)
        for user, _ in staff:
            posted = 1 if user in order[:36] else 0
            hidden = hashlib.md5(user.encode()).hexdigest().upper()
            w.writerow(
                [
                    "2026-01-31",
                    hidden,
                    hidden,
                    "Active",
                    "",
                    "2026-01-20" if posted else "",
                    posted,
                    3,
                    posted,
                    "MICROSOFT 365 E3",
                    30,
                ]
            )
    teams = [
        "Report Refresh Date",
        "Tenant Display Name",
        "Shared Channel Tenant Display Names",
        "User Id",
        "User Principal Name",
        "Last Activity Date",
        "Is Deleted",
        "Deleted Date",
        "Assigned Products",
        "Team Chat Message Count",
        "Private Chat Message Count",
        "Call Count",
        "Meeting Count",
        "Post Messages",
        "Reply Messages",
        "Urgent Messages",
        "Meetings Organized Count",
        "Meetings Attended Count",
        "Has Other Action",
        "Is Licensed",
        "Report Period",
    ]
    with open(HERE / "teams-user-activity-user-detail.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(teams)
        for k, (user, _) in enumerate(staff):
            chat = 3 if k % 2 == 0 else 0
            meetings = 4
            w.writerow(
                [
                    "2026-01-31",
                    "Example",
                    "",
                    f"00000000-0000-0000-0000-{k:012d}",
                    user,
                    "2026-01-28",
                    "False",
                    "",
                    "MICROSOFT TEAMS",
                    chat,
                    0,
                    1,
                    meetings,
                    0,
                    1 if k % 5 == 0 else 0,
                    0,
                    0,
                    meetings,
                    "No",
                    "Yes",
                    30,
                ]
            )
    with open(HERE / "yammer-activity-user-counts.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["Report Refresh Date", "Liked", "Posted", "Read", "Report Date", "Report Period"]
        )
        for day in range(1, 29):
            w.writerow(["2026-03-01", 4, 10 + day % 7, 30, f"2026-02-{day:02d}", 30])
    with open(HERE / "slack-members.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "Name",
                "What I Call You",
                "Display Name",
                "Email",
                "User ID",
                "Account type",
                "Account created (UTC)",
                "Days active",
                "Messages posted",
                "Reactions added",
                "Last active (UTC)",
            ]
        )
        for k, (user, _) in enumerate(staff):
            posted = 6 if k < 30 else 0
            w.writerow(
                [
                    user.split("@")[0],
                    "",
                    user.split("@")[0],
                    user,
                    f"U{k:08d}",
                    "Full Member",
                    "2024-01-10",
                    12 if posted else 2,
                    posted,
                    1 if posted else 0,
                    "2026-01-27",
                ]
            )


if __name__ == "__main__":
    main()
