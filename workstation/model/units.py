"""Units and conversions for measurements.

Conversions are for display only; stored values never change. Mach is converted at the
ISA sea-level speed of sound (340.294 m/s), the usual convention in open reporting; at
altitude Mach numbers map to lower speeds, which is one more reason never to store converted
values.
"""

from __future__ import annotations

from enum import StrEnum


class Dimension(StrEnum):
    LENGTH = "length"
    SPEED = "speed"
    DURATION = "duration"
    MASS = "mass"


SPEED_OF_SOUND_KM_S = 0.340294

# factor to the dimension's base unit: km, km/s, s, kg
_UNITS: dict[str, tuple[Dimension, float]] = {
    "km": (Dimension.LENGTH, 1.0),
    "m": (Dimension.LENGTH, 0.001),
    "mi": (Dimension.LENGTH, 1.609344),
    "nmi": (Dimension.LENGTH, 1.852),
    "km/s": (Dimension.SPEED, 1.0),
    "km/h": (Dimension.SPEED, 1.0 / 3600.0),
    "m/s": (Dimension.SPEED, 0.001),
    "Mach": (Dimension.SPEED, SPEED_OF_SOUND_KM_S),
    "s": (Dimension.DURATION, 1.0),
    "min": (Dimension.DURATION, 60.0),
    "h": (Dimension.DURATION, 3600.0),
    "kg": (Dimension.MASS, 1.0),
    "t": (Dimension.MASS, 1000.0),
}

UNITS: frozenset[str] = frozenset(_UNITS)


class UnitError(ValueError):
    """A unit is unknown, or two units measure different things."""


def dimension(unit: str) -> Dimension:
    try:
        return _UNITS[unit][0]
    except KeyError:
        raise UnitError(f"unknown unit: {unit!r}") from None


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` between units of the same dimension."""
    if from_unit == to_unit:
        dimension(from_unit)
        return value
    from_dim, from_factor = _lookup(from_unit)
    to_dim, to_factor = _lookup(to_unit)
    if from_dim is not to_dim:
        raise UnitError(f"cannot convert {from_unit} ({from_dim}) to {to_unit} ({to_dim})")
    return value * from_factor / to_factor


def _lookup(unit: str) -> tuple[Dimension, float]:
    try:
        return _UNITS[unit]
    except KeyError:
        raise UnitError(f"unknown unit: {unit!r}") from None
