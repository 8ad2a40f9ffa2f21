"""Measured adoption from usage exports: importers, monthly aggregates, fitted curves.

See :mod:`readiness.usage.formats` for the recognised exports and their documented columns,
:mod:`readiness.usage.parsers` for what each one gives, :mod:`readiness.usage.measure` for the
definitions, the privacy rules and the import, :mod:`readiness.usage.aggregate` for the monthly
active share per division, and :mod:`readiness.usage.forecast` for the curves.
"""

from readiness.groups import OTHER_DIVISIONS
from readiness.usage.aggregate import ALL_STAFF
from readiness.usage.formats import ACTIONS, DEFAULT_ACTIONS, FORMATS, UsageFormat
from readiness.usage.measure import (
    MIN_GROUP_SIZE,
    ImportedFile,
    MeasuredAdoption,
    Roster,
    UsageImport,
    measure_files,
    read_roster,
)

__all__ = [
    "ACTIONS",
    "ALL_STAFF",
    "DEFAULT_ACTIONS",
    "FORMATS",
    "MIN_GROUP_SIZE",
    "OTHER_DIVISIONS",
    "ImportedFile",
    "MeasuredAdoption",
    "Roster",
    "UsageFormat",
    "UsageImport",
    "measure_files",
    "read_roster",
]
