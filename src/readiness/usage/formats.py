"""The usage export formats readiness reads, recognised from their header row.

Column names are the ones the vendors document (matched case-insensitively, surrounding spaces
and a byte-order mark ignored):

- Viva Engage (Yammer) activity user detail, Microsoft Graph ``getYammerActivityUserDetail``
  (https://learn.microsoft.com/graph/api/reportroot-getyammeractivityuserdetail): Report Refresh
  Date, User Principal Name, Display Name, User State, State Change Date, Last Activity Date,
  Posted Count, Read Count, Liked Count, Assigned Products, Report Period.
- Teams user activity user detail, ``getTeamsUserActivityUserDetail``
  (https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivityuserdetail): Report
  Refresh Date, User Id, User Principal Name, Last Activity Date, Team Chat Message Count,
  Private Chat Message Count, Call Count, Meeting Count, Post Messages, Reply Messages, Has Other
  Action, Report Period (and more columns, ignored).
- Viva Engage activity user counts, ``getYammerActivityUserCounts``
  (https://learn.microsoft.com/graph/api/reportroot-getyammeractivityusercounts): Report Refresh
  Date, Liked, Posted, Read, Report Date, Report Period (unique users per day).
- Teams user activity user counts, ``getTeamsUserActivityUserCounts``
  (https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivityusercounts): Report
  Refresh Date, Report Date, Team Chat Messages, Private Chat Messages, Calls, Meetings, Other
  Actions, Report Period.
- Slack member analytics export (Analytics > Members > Export; the fields are those Slack
  documents in "Understand the data in your Slack analytics dashboard",
  https://slack.com/help/articles/360057638533, and ``admin.analytics.getFile``'s member
  fields): a member id (User ID, Email or Username), Days active, Messages posted, Reactions
  added (optional), Last active (UTC).
- A generic event log, CSV or Parquet: ``user``, ``timestamp`` and optionally ``action``.

Microsoft's concealed (hashed) user names are opaque identifiers like any other: they are
counted the same way, but cannot match a roster keyed by real names (those users are then
counted as "not in roster"; use a headcount, or a roster of the same concealed names).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Kinds of action an activity is sorted into; "active" counts the ones chosen in the settings.
ACTIONS = ("post", "edit", "comment", "react", "read", "meet", "other")
#: A contribution: posting, editing, commenting, reacting. Reading (and meetings) are off.
DEFAULT_ACTIONS = frozenset({"post", "edit", "comment", "react"})
#: Event-log ``action`` values and the kind each counts as (anything else is "other").
ACTION_WORDS = {
    "post": ("post", "create", "publish", "message", "share", "upload", "send", "write"),
    "edit": ("edit", "update", "modify", "revise"),
    "comment": ("comment", "reply", "answer"),
    "react": ("like", "react", "reaction", "vote", "praise"),
    "read": ("read", "view", "open", "visit", "download"),
    "meet": ("meet", "meeting", "call"),
}
#: The longest reporting period a per-user detail export may cover to be dated to one month.
MAX_PERIOD_DAYS = 31


@dataclass(frozen=True)
class UsageFormat:
    """One recognised export: its key, its name for people, the columns that identify it."""

    key: str
    title: str
    required: tuple[str, ...]
    source: str


FORMATS = (
    UsageFormat(
        "yammer_user_detail",
        "Viva Engage (Yammer) activity user detail",
        ("user principal name", "last activity date", "posted count", "read count", "liked count"),
        "Microsoft Graph getYammerActivityUserDetail",
    ),
    UsageFormat(
        "teams_user_detail",
        "Teams user activity user detail",
        (
            "user principal name",
            "last activity date",
            "team chat message count",
            "private chat message count",
        ),
        "Microsoft Graph getTeamsUserActivityUserDetail",
    ),
    UsageFormat(
        "yammer_user_counts",
        "Viva Engage (Yammer) activity user counts",
        ("report date", "posted", "read", "liked"),
        "Microsoft Graph getYammerActivityUserCounts",
    ),
    UsageFormat(
        "teams_user_counts",
        "Teams user activity user counts",
        ("report date", "team chat messages", "private chat messages", "calls", "meetings"),
        "Microsoft Graph getTeamsUserActivityUserCounts",
    ),
    UsageFormat(
        "slack_members",
        "Slack member analytics export",
        ("days active", "messages posted"),
        "Slack analytics dashboard, Members export",
    ),
    UsageFormat(
        "event_log",
        "Event log (CSV or Parquet)",
        ("user", "timestamp"),
        "any tool: one row per event",
    ),
)
#: Slack's member id columns, the first present is used.
SLACK_ID_COLUMNS = ("user id", "email", "username", "name")
SLACK_LAST_ACTIVE = ("last active (utc)", "last active")


def normalise(column: object) -> str:
    """A header cell as it is matched: no BOM, no surrounding spaces, lower case."""
    return str(column).replace("\ufeff", "").strip().lower()


def detect_format(columns: list[str], name: str) -> UsageFormat:
    """The format whose identifying columns are all in ``columns``; an InputError that lists
    the recognised formats otherwise."""
    from readiness.errors import InputError

    have = {normalise(c) for c in columns}
    for fmt in FORMATS:
        if set(fmt.required) <= have:
            if fmt.key == "slack_members" and not have & set(SLACK_ID_COLUMNS):
                continue
            return fmt
    if {"user", "division"} <= have:
        raise InputError(
            f"{name}: row 1: this looks like a roster (user, division): upload it as the roster"
        )
    listed = "; ".join(f"{f.title} ({', '.join(f.required)})" for f in FORMATS)
    raise InputError(f"{name}: row 1: not a recognised usage export. Recognised formats: {listed}")


def action_kind(value: str) -> str:
    """An event log's ``action`` text as one of :data:`ACTIONS` ("other" when unknown); without
    an action column every event counts."""
    word = value.strip().lower()
    for kind, words in ACTION_WORDS.items():
        if word in words:
            return kind
    return "other"
