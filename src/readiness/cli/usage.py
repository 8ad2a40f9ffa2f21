"""``readiness usage``: measured adoption from usage exports, per division and month.

Prints the monthly series (month, group, roster, active, share, basis) as JSON or CSV; with
``--fit`` adds a fit per group, the same JSON as ``readiness fit`` prints. Bad input raises
:class:`InputError` (exit code 2) naming file, row and field, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from readiness.cli.output import add_format, table_text, write_json

#: An organization larger than any on earth is a typing mistake.
MAX_HEADCOUNT = 10_000_000
# What --help shows of the core's facts, written out so that it imports nothing heavy; each
# equals its owner (tests/test_cli_startup.py checks them).
#: readiness.usage.ACTIONS and DEFAULT_ACTIONS (in that order)
ACTIONS = ("post", "edit", "comment", "react", "read", "meet", "other")
DEFAULT_ACTIONS = ("post", "edit", "comment", "react")
#: readiness.settings.DEFAULT_MIN_GROUP_SIZE
MIN_GROUP_SIZE = 5
#: readiness.usage.forecast.FORECAST_YEARS
FORECAST_YEARS = 5.0
#: readiness.usage.formats.FORMATS, their titles
EXPORT_FORMATS = (
    "Viva Engage (Yammer) activity user detail",
    "Teams user activity user detail",
    "Viva Engage (Yammer) activity user counts",
    "Teams user activity user counts",
    "Slack member analytics export",
    "Event log (CSV or Parquet)",
)


def register(subparsers: Any) -> None:
    """Add the ``usage`` sub-command to the ``readiness`` parser."""
    formats = "; ".join(EXPORT_FORMATS)
    usage = subparsers.add_parser(
        "usage",
        help="monthly active share per division from usage exports",
        description=(
            "Measured adoption: read usage exports (recognised from their header: "
            f"{formats}), pseudonymise the users, and print the monthly active share per "
            "division (active users / roster users employed that month). Divisions smaller "
            "than --min-group are merged into 'other divisions'."
        ),
    )
    usage.add_argument("files", nargs="+", metavar="FILE", help="usage exports (CSV or Parquet)")
    denominator = usage.add_mutually_exclusive_group(required=True)
    denominator.add_argument(
        "--roster", metavar="FILE", help="CSV user,division[,start_date,end_date]"
    )
    denominator.add_argument(
        "--headcount", type=int, metavar="N", help="people in the organization (no divisions)"
    )
    usage.add_argument(
        "--actions",
        default=",".join(DEFAULT_ACTIONS),
        help=f"actions that count as active, comma-separated from {','.join(ACTIONS)} "
        "(default: post,edit,comment,react; reading is off)",
    )
    usage.add_argument(
        "--min-group",
        type=int,
        default=None,
        help="smallest group shown on its own: READINESS_MIN_GROUP_SIZE (default "
        f"{MIN_GROUP_SIZE}) or larger",
    )
    usage.add_argument(
        "--fit", action="store_true", help="add a fit per group (the JSON of 'readiness fit')"
    )
    usage.add_argument(
        "--horizon",
        type=float,
        default=FORECAST_YEARS,
        help=f"years the fits forecast (default {FORECAST_YEARS:g})",
    )
    add_format(
        usage,
        default="json",
        formats=("table", "json", "csv"),
        note="table and csv: the monthly series only (notes on standard error)",
    )
    usage.set_defaults(handler=run_usage)


def _table_rows(monthly: Any) -> list[list[str]]:
    """The monthly series for a person: shares in percent, names on one line each."""
    import pandas as pd

    from readiness.safe_output import terminal_safe

    def cell(column: str, value: Any) -> str:
        if pd.isna(value):
            return ""
        if column == "share":
            return f"{100 * float(value):.1f}%"
        return terminal_safe(str(value), single_line=True)

    columns = list(monthly.columns)
    return [
        [cell(column, value) for column, value in zip(columns, row, strict=True)]
        for row in monthly.itertuples(index=False)
    ]


def _fit_json(rows: Any, group: str, horizon: float) -> dict[str, Any]:
    """``readiness fit --model auto`` on a group's months: the same payload, or the reason."""
    from readiness.cli.project import _fit_payload
    from readiness.errors import InputError
    from readiness.usage.forecast import checked_history

    try:
        history = checked_history(rows, group)
    except InputError as error:
        return {"group": group, "error": "; ".join(error.problems)}
    args = argparse.Namespace(
        file=history,
        model="auto",
        kind="cumulative",
        unit="share",
        population=None,
        ceiling=None,
        horizon=horizon,
        band="auto",
    )
    try:
        payload, _ = _fit_payload(args)
    except InputError as error:
        return {"group": group, "error": "; ".join(error.problems)}
    return {"group": group, **payload}


def run_usage(args: argparse.Namespace) -> int:
    """Handler of ``readiness usage``."""
    import pandas as pd

    from readiness.errors import InputError
    from readiness.groups import min_group_size
    from readiness.safe_output import frame_to_csv
    from readiness.usage import measure_files, read_roster

    actions = {a.strip().lower() for a in args.actions.split(",") if a.strip()}
    if args.headcount is not None and not 0 < args.headcount <= MAX_HEADCOUNT:
        raise InputError(
            f"--headcount must be between 1 and {MAX_HEADCOUNT:,} (got {args.headcount})"
        )
    least = min_group_size()  # the setting: --min-group may only raise it
    min_group = least if args.min_group is None else args.min_group
    if not least <= min_group <= 1000:
        raise InputError(
            f"--min-group must be between {least} (READINESS_MIN_GROUP_SIZE) and 1000 "
            f"(got {min_group})"
        )
    if not (math.isfinite(args.horizon) and 0 <= args.horizon <= 50):
        raise InputError(f"--horizon must be between 0 and 50 years (got {args.horizon:g})")
    roster = read_roster(Path(args.roster), args.roster) if args.roster else None
    measured = measure_files(
        [(Path(f), f) for f in args.files],
        roster=roster,
        headcount=args.headcount,
        actions=actions,
        min_group=min_group,
    )
    for file in measured.files:
        for problem in file.problems:
            print(f"warning: {problem}", file=sys.stderr)
    if args.format in ("csv", "table"):
        # The notes JSON carries in its payload ("nothing is shown", merged divisions).
        for note in measured.notes:
            print(f"note: {note}", file=sys.stderr)
        monthly = measured.monthly_series()
        if args.format == "csv":
            sys.stdout.write(frame_to_csv(monthly))
        else:
            print(table_text(list(monthly.columns), _table_rows(monthly)))
        return 0
    series = measured.series.assign(share=measured.series["share"].astype("float64").round(6))

    def clean(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        return value.item() if hasattr(value, "item") else value

    payload: dict[str, Any] = {
        "definitions": measured.definitions(),
        "actions": sorted(measured.actions),
        "min_group": measured.min_group,
        "series": [
            {k: clean(v) for k, v in row.items()} for row in series.to_dict(orient="records")
        ],
        "not_in_roster": [
            {"month": str(month), "users": int(users)}
            for month, users in zip(
                measured.not_in_roster["month"], measured.not_in_roster["users"], strict=True
            )
        ],
        "files": [
            {
                "file": f.name,
                "format": f.format.key,
                "rows": f.rows,
                "skipped": f.skipped,
                "problems": list(f.problems),
            }
            for f in measured.files
        ],
        "notes": list(measured.notes),
    }
    if args.fit:
        payload["fits"] = [
            _fit_json(series[series["group"] == group], group, args.horizon)
            for group in ["all staff", *measured.divisions]
        ]
    write_json(payload)
    return 0
