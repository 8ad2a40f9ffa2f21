"""Which lever mapping drives the organization's projection, kept with the assessment.

An assessment holds at most one :class:`MappingChoice`: the division-name map the user made
(survey divisions paired with measured adoption's), which mapping is in use ("assumed", the
mapping of ``data/levers.yaml``, or "calibrated"), and, when a calibration was offered, the
calibrated mapping itself with each number's 95% interval and the method. The calibrated
mapping is stored, not recomputed, so every reader of the assessment (Results, Growth, the
report, the command line) uses the same numbers without the survey and usage files.

:func:`mapping_in_use` is the one place that turns a choice into a mapping and the words
every surface shows about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import Field, model_validator

from readiness.errors import Frozen
from readiness.evidence.drivers import DivisionMap
from readiness.levers import LeverMapping, load_levers

if TYPE_CHECKING:
    from readiness.evidence.calibration import Calibration

MappingName = Literal["assumed", "calibrated"]
MAPPING_NAMES: tuple[MappingName, ...] = ("assumed", "calibrated")

#: The words for the assumed mapping, on every surface.
ASSUMED_WORDS = "the assumed mapping (data/levers.yaml)"
#: The method, briefly, in the words for the calibrated mapping.
SHORT_METHOD = "penalised least squares, with data/levers.yaml as the prior"


class CalibratedNumber(Frozen):
    """One number of the calibrated mapping on its scale (``log p``, ``q``, ``ceiling`` or
    ``strength``), the assumed value and the 95% interval (see
    :class:`readiness.evidence.calibration.MappingNumber`)."""

    parameter: str
    dimension: str | None = None
    scale: str
    prior: float
    value: float
    low: float
    high: float


class MappingChoice(Frozen):
    """The division-name map, the mapping in use and the calibrated mapping when one was
    offered (``divisions``: how many divisions it was calibrated on)."""

    use: MappingName = "assumed"
    division_map: DivisionMap | None = None
    calibrated: LeverMapping | None = None
    numbers: tuple[CalibratedNumber, ...] = ()
    method: str | None = Field(default=None, max_length=2000)
    divisions: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _calibrated_when_used(self) -> Self:
        if self.use == "calibrated" and self.calibrated is None:
            raise ValueError("use 'calibrated' needs the calibrated mapping")
        return self

    @property
    def offered(self) -> bool:
        """A calibrated mapping is held, so the user may switch to it."""
        return self.calibrated is not None

    def using(self, use: MappingName) -> MappingChoice:
        """The same choice with ``use`` in use ("calibrated" only when one is held)."""
        if use == "calibrated" and not self.offered:
            raise ValueError("no calibrated mapping was offered for this assessment")
        return self.model_copy(update={"use": use})

    def as_json(self) -> dict[str, Any]:
        """The choice as the assessment file holds it."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=False)

    @classmethod
    def from_calibration(
        cls,
        calibration: Calibration,
        *,
        division_map: DivisionMap | None = None,
        use: MappingName = "assumed",
    ) -> MappingChoice:
        """The choice a calibration allows: its mapping and numbers kept only when it was
        offered (strong enough); "calibrated" in use only then."""
        if not calibration.offered:
            return cls(division_map=division_map)
        numbers = tuple(
            CalibratedNumber(
                parameter=n.parameter,
                dimension=n.dimension,
                scale=n.scale,
                prior=n.prior,
                value=n.value,
                low=n.low,
                high=n.high,
            )
            for n in calibration.numbers
        )
        return cls(
            use=use,
            division_map=division_map,
            calibrated=calibration.mapping,
            numbers=numbers,
            method=calibration.method,
            divisions=len(calibration.divisions),
        )


def calibrated_words(choice: MappingChoice) -> str:
    """The words for the calibrated mapping of ``choice`` (whether in use or not)."""
    count = f"your {choice.divisions} divisions" if choice.divisions else "your divisions"
    return f"the mapping calibrated on {count} ({SHORT_METHOD})"


def mapping_in_use(choice: MappingChoice | None) -> tuple[LeverMapping, str]:
    """The lever mapping that drives the organization's projection, and its name in words.

    ``None`` (an assessment without a choice) and "assumed" give ``data/levers.yaml``."""
    if choice is None or choice.use == "assumed" or choice.calibrated is None:
        return load_levers(), ASSUMED_WORDS
    return choice.calibrated, calibrated_words(choice)
