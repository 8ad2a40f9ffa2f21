"""Fill a store with a few assessments, versions, submissions and drafts using an OLD readiness:
the code from before Alembic (the hand-made ``readiness.migrations`` with its ``schema_version``
table). The upgrade tests (tests/test_migrations_from_old_stores.py) open what this made with
today's code.

Run it with the old code first on the path, never with today's (it refuses). From /tmp, so that
nothing of the checkout is imported::

    git worktree add --detach /tmp/oldrev2 f0690d2  # schema version 2, the release
    git worktree add --detach /tmp/oldrev3 bdd63af  # schema version 3, the last before Alembic
    STORES=$PWD/tests/data/stores; PYTHON=$PWD/.venv/bin/python
    cd /tmp && PYTHONPATH=/tmp/oldrev2/src $PYTHON $STORES/make_old_stores.py 2 \
        sqlite:///$STORES/schema2.db > $STORES/schema2.json

and the same with ``3`` and ``/tmp/oldrev3``. For PostgreSQL, run it on an empty database
(``postgresql+psycopg://postgres@127.0.0.1:PORT/schema2``), then
``pg_dump --no-owner --no-privileges --inserts schema2 > schema2.pg.sql`` (PostgreSQL 15).
It prints (as JSON) what it saved, kept as ``schema<N>.json``; the same ids on both databases.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from readiness import migrations
from readiness.assessment import Assessment, Profile
from readiness.questionnaire import load_questionnaire
from readiness.store import open_store


def answers(seed: int) -> dict[str, Any]:
    """A complete, valid set of answers of the old questionnaire that varies with ``seed``."""
    result: dict[str, Any] = {}
    for position, item in enumerate(load_questionnaire().items):
        turn = seed + position
        if item.kind == "likert":
            result[item.id] = 1 + turn % 5
        elif item.kind == "number":
            result[item.id] = float(turn % int(min(item.bounds.max, 100)))  # type: ignore[union-attr]
        elif item.kind == "choice":
            result[item.id] = item.options[turn % len(item.options)].id
        else:
            result[item.id] = [o.id for k, o in enumerate(item.options) if (turn + k) % 2]
    return result


def assessment(organization: str, division: str | None, seed: int) -> Assessment:
    return Assessment(
        profile=Profile(organization=organization, division=division, sector="private",
                        size="250-999"),
        questionnaire_version=load_questionnaire().version,
        assessed_on=dt.date(2026, 1, 1) + dt.timedelta(days=seed),
        answers=answers(seed),
    )  # fmt: skip


def main(schema: int, url: str) -> dict[str, Any]:
    if getattr(migrations, "LATEST", None) != schema:
        raise SystemExit(f"run this with the readiness of schema version {schema} on PYTHONPATH")
    first_item = load_questionnaire().items[0].id
    with open_store(url) as store:
        sales = store.save_assessment(assessment("Acme Ltd", "Sales", 0), f"s{schema}-a1")
        muller = store.save_assessment(assessment("Müller & Söhne", None, 1), f"s{schema}-a2")
        support = store.save_assessment(assessment("Acme Ltd", "Support", 2), f"s{schema}-a3")
        last = store.save_assessment(assessment("Acme Ltd", "Legal", 3), f"s{schema}-a4")
        store.update_answers(support, {first_item: 5})
        profile = Profile(organization="Draft Org", division="R&D", sector="public", size="1-249")
        store.save_draft(f"s{schema}-draft", profile, {first_item: 2})
        store.save_draft(f"s{schema}-draft-empty", None, {})
        if schema == 2:
            store.delete_assessment(muller)  # a gap in the ids
        else:
            store.save_submission(assessment("Acme Ltd", "Sales", 5), "s3-a1-edit", edits=sales)
            store.restore_version(sales, 1, "s3-a1-restore")
            store.save_draft("s3-draft-edits", None, answers(7), edits=muller)
            store.delete_assessment(last)  # the highest id: never to be given again
        return {
            "schema_version": schema,
            "made_with": f"readiness with schema version {schema} (before Alembic)",
            "assessments": [
                {"id": s.id, "organization": s.organization, "division": s.division}
                for s in sorted(store.list_assessments(), key=lambda s: s.id)
            ],
            "deleted": [muller] if schema == 2 else [last],
        }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), sys.argv[2]), indent=2, ensure_ascii=False))
