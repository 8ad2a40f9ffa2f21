"""Which assessment the questionnaire shows, and what saving it does.

The address bar names what is shown, so a reload, a bookmark or a shared link opens the same
thing (the page's session state is lost on a reload; the store is not):

- ``?assessment=N``: saved assessment N, read-only, with "Edit this assessment" and "Start a new
  assessment";
- ``?draft=<id>``: answers in progress, autosaved under that id. A draft that edits a saved
  assessment knows it (:attr:`~readiness.store.Draft.edits`): saving it makes the next version.
  A draft id consumed by its save opens the assessment it became, never an empty form whose next
  save would be a silent no-op. An id that names nothing this user may see (never saved, or
  another organization's draft or assessment) starts a new draft under a fresh id: both read the
  same, so a link tells nobody what another organization keeps;
- nothing: a new draft.

Everything here is plain Python over :class:`~readiness.store.Store`; the pages only draw.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

# The store (SQLAlchemy) is imported where it is used: the address helpers below serve pages
# that must draw before anything heavy is loaded.
if TYPE_CHECKING:
    from readiness.assessment import JsonAnswer, Profile
    from readiness.evidence.choice import MappingChoice
    from readiness.plan.model import Plan
    from readiness.scoring import Scores
    from readiness.store import Draft, Saved, Store, StoredAssessment

DRAFT_PARAM = "draft"
ASSESSMENT_PARAM = "assessment"


def new_draft_id() -> str:
    """A fresh, unguessable draft id for the URL (``?draft=<id>``)."""
    return uuid.uuid4().hex


def valid_draft_id(value: object) -> str | None:
    """The draft id if ``value`` is one (32 hex digits, as made by :func:`new_draft_id`)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = uuid.UUID(hex=value)
    except ValueError:
        return None
    return parsed.hex if parsed.hex == value.lower() else None


def valid_assessment_id(value: object) -> int | None:
    """The assessment id if ``value`` is one (a positive whole number, as text or int)."""
    text = str(value).strip() if isinstance(value, str | int) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    number = int(text)
    return number if number > 0 else None


@dataclass(frozen=True)
class Opened:
    """What the questionnaire shows.

    Either a draft (``draft_id`` set; ``edits`` the saved assessment it changes, if any;
    ``draft`` its stored answers, None before the first autosave) or a saved assessment viewed
    read-only (``draft_id`` None, ``stored`` set). ``notice`` tells the user why they see this
    (a consumed draft link, an assessment that no longer exists); plain text.
    """

    draft_id: str | None
    edits: int | None = None
    draft: Draft | None = None
    stored: StoredAssessment | None = None
    notice: str | None = None

    @property
    def viewing(self) -> bool:
        return self.draft_id is None

    @property
    def contents(self) -> tuple[dict[str, JsonAnswer], Profile | None] | None:
        """The answers and profile to show: the saved ones, or the draft's (None: a new draft)."""
        if self.stored is not None and self.viewing:
            return dict(self.stored.assessment.answers), self.stored.assessment.profile
        if self.draft is not None:
            return self.draft.answers, self.draft.profile
        return None

    @property
    def mapping_choice(self) -> MappingChoice | None:
        """The lever mapping chosen for what is shown (None: the assumed mapping)."""
        if self.stored is not None and self.viewing:
            return self.stored.assessment.mapping_choice
        return self.draft.mapping_choice if self.draft is not None else None

    @property
    def plan(self) -> Plan | None:
        """The plan kept with what is shown (None: no plan)."""
        if self.stored is not None and self.viewing:
            return self.stored.assessment.plan
        return self.draft.plan if self.draft is not None else None

    @property
    def key(self) -> str:
        """Names what is shown, to tell whether the widgets already hold it."""
        if self.stored is not None and self.draft_id is None:
            return f"{ASSESSMENT_PARAM}:{self.stored.id}"
        return f"{DRAFT_PARAM}:{self.draft_id}"

    @property
    def params(self) -> dict[str, str]:
        """The address bar's query parameters that open this again."""
        if self.stored is not None and self.draft_id is None:
            return {ASSESSMENT_PARAM: str(self.stored.id)}
        return {DRAFT_PARAM: str(self.draft_id)}


def saved_on(moment: dt.datetime) -> str:
    """A save time (UTC) for people: "30 Nov 2026, 04:12 UTC"."""
    return moment.strftime("%d %b %Y, %H:%M UTC")


def saved_line(stored: StoredAssessment) -> str:
    """Which saved assessment is shown, for people: "Assessment 3, version 2, saved 30 Nov
    2026, 04:12 UTC" (the Questionnaire and Results say it the same way)."""
    return f"Assessment {stored.id}, version {stored.version}, saved {saved_on(stored.updated_at)}"


def open_from_address(
    store: Store, draft_param: object, assessment_param: object, session_draft: object = None
) -> Opened:
    """Resolve the address bar (and, without one, this session's draft) to what is shown."""
    from readiness.store import AssessmentNotFoundError

    assessment_id = valid_assessment_id(assessment_param)
    notice = None
    if assessment_id is not None:
        try:
            return Opened(draft_id=None, stored=store.get_assessment(assessment_id))
        except AssessmentNotFoundError:
            notice = f"There is no assessment {assessment_id} (it may have been deleted)."
    draft_id = valid_draft_id(draft_param) or valid_draft_id(session_draft)
    if draft_id is None:
        return Opened(draft_id=new_draft_id(), notice=notice)
    draft = store.load_draft(draft_id)
    if draft is not None:
        return Opened(draft_id=draft_id, edits=draft.edits, draft=draft, notice=notice)
    saved = store.find_submission(draft_id)
    if saved is not None:
        try:
            stored = store.get_assessment(saved.id)
        except AssessmentNotFoundError:
            return Opened(draft_id=new_draft_id(), notice=_deleted(saved))
        return Opened(
            draft_id=None,
            stored=stored,
            notice=f"This draft was saved as assessment {saved.id} on {saved_on(saved.saved_at)}.",
        )
    return Opened(draft_id=new_draft_id(), notice=notice)


def address_key(draft_param: object, assessment_param: object) -> str | None:
    """What the address bar names, in the form of :attr:`Opened.key` (None: nothing)."""
    if assessment_param:
        return f"{ASSESSMENT_PARAM}:{assessment_param}"
    return f"{DRAFT_PARAM}:{draft_param}" if draft_param else None


def autosave(
    store: Store,
    opened: Opened,
    profile: Profile | None,
    answers: dict[str, JsonAnswer],
    mapping_choice: MappingChoice | None = None,
    plan: Plan | None = None,
) -> tuple[Opened, str | None]:
    """Save a draft's answers (and the lever mapping chosen for it, and its plan); returns what
    is shown afterwards and a notice, if any.

    A draft already saved as an assessment (another tab with the same address saved it) is
    never brought back to life: the changes continue under a new draft id, and the notice says so.
    An id another organization holds continues under a new id too, without a word about it.
    """
    from readiness.store import DraftConsumedError, DraftIdTakenError

    if opened.draft_id is None:
        raise ValueError("a saved assessment shown read-only has no draft to autosave")
    try:
        store.save_draft(opened.draft_id, profile, answers, opened.edits, mapping_choice, plan)
    except DraftIdTakenError:
        forked = Opened(draft_id=new_draft_id(), edits=opened.edits)
        store.save_draft(str(forked.draft_id), profile, answers, opened.edits, mapping_choice, plan)
        return forked, None
    except DraftConsumedError as consumed:
        forked = Opened(draft_id=new_draft_id(), edits=opened.edits)
        store.save_draft(str(forked.draft_id), profile, answers, opened.edits, mapping_choice, plan)
        notice = (
            f"This draft was saved as assessment {consumed.saved.id} in another tab or window; "
            "your further changes continue as a new draft."
        )
        return forked, notice
    return opened, None


def _deleted(saved: Saved) -> str:
    return f"This draft was saved as assessment {saved.id}, which has since been deleted."


def start_editing(store: Store, stored: StoredAssessment) -> Opened:
    """A new draft that edits ``stored``, saved at once so a reload keeps editing it."""
    draft_id = new_draft_id()
    assessment = stored.assessment
    store.save_draft(
        draft_id,
        assessment.profile,
        assessment.answers,
        stored.id,
        assessment.mapping_choice,
        assessment.plan,
    )
    draft = store.load_draft(draft_id)
    return Opened(draft_id=draft_id, edits=stored.id, draft=draft)


def start_from_copy(store: Store, stored: StoredAssessment) -> Opened:
    """A new draft holding a copy of ``stored``'s answers: saving it makes a new assessment."""
    draft_id = new_draft_id()
    assessment = stored.assessment
    store.save_draft(
        draft_id,
        assessment.profile,
        assessment.answers,
        None,
        assessment.mapping_choice,
        assessment.plan,
    )
    return Opened(draft_id=draft_id, draft=store.load_draft(draft_id))


@dataclass(frozen=True)
class Submitted:
    """The outcome of "Save": what was saved, and a sentence saying so (plain text)."""

    saved: Saved
    message: str


def submit(
    store: Store,
    draft_id: str,
    edits: int | None,
    profile: Profile,
    answers: dict[str, JsonAnswer],
    questionnaire_version: str,
    mapping_choice: MappingChoice | None = None,
    plan: Plan | None = None,
) -> Submitted:
    """Save the draft's answers (and the lever mapping chosen for it, and its plan): a new
    assessment, or the next version of ``edits``.

    A repeated click on the same draft stores once. If the draft id was consumed elsewhere
    (another tab saved it) with other answers, these answers are saved under a fresh id instead
    of being dropped; if the edited assessment was deleted meanwhile, they become a new one.
    """
    from readiness.assessment import Assessment
    from readiness.store import AssessmentNotFoundError, SubmissionConflictError

    assessment = Assessment(
        profile=profile,
        questionnaire_version=questionnaire_version,
        answers=answers,
        mapping_choice=mapping_choice,
        plan=plan,
    )
    note = ""
    try:
        saved = store.save_submission(assessment, draft_id, edits)
    except SubmissionConflictError:
        saved = store.save_submission(assessment, new_draft_id(), edits)
    except AssessmentNotFoundError:
        saved = store.save_submission(assessment, draft_id, None)
        note = f" Assessment {edits} had been deleted, so this is a new assessment."
    when = saved_on(saved.saved_at)
    if saved.repeated:
        return Submitted(saved, f"Already saved as assessment {saved.id} on {when}.")
    what = f"version {saved.version} of assessment" if saved.version > 1 else "assessment"
    return Submitted(saved, f"Saved as {what} {saved.id} on {when}.{note}")


def missing_answers(scores: Scores) -> list[str]:
    """For each dimension without a score, what is missing: "Support: 1 of 8 answered; a score
    needs at least 4". Empty when the assessment is complete."""
    lines = []
    for dimension in scores.dimensions:
        if dimension.score is None:
            needed = math.ceil(dimension.items / 2)
            lines.append(
                f"{dimension.name}: {dimension.answered} of {dimension.items} answered; "
                f"a score needs at least {needed}"
            )
    return lines
