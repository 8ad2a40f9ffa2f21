"""``python -m readiness.migrations new "what it changes"``: write the next revision file.

For developers, in the repository: the file goes to ``src/readiness/migrations/versions/``,
numbered after the current head (see :mod:`readiness.migrations.versions`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from readiness.migrations import alembic_config, head_revision


def main(argv: Sequence[str] | None = None) -> int:
    from alembic import command

    parser = argparse.ArgumentParser(prog="python -m readiness.migrations")
    actions = parser.add_subparsers(dest="action", required=True)
    new = actions.add_parser("new", help="write the next revision file")
    new.add_argument("message", help="what the revision changes, e.g. 'audit log'")
    args = parser.parse_args(argv)
    rev_id = f"{int(head_revision()) + 1:04d}"
    script = command.revision(alembic_config(), message=args.message, rev_id=rev_id)
    path = getattr(script, "path", None)
    print(f"wrote revision {rev_id}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
