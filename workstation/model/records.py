"""Conversions between typed records (dataclasses) and table rows.

Records are for code that handles one item at a time (an edit, a dialog, a tooltip); tables
are for everything bulk. A row is a plain mapping of column name to cell value as stored in
the in-memory DataFrame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from workstation.model import lists


def text(row: Mapping[Any, Any], key: str) -> str:
    value = row.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def items(row: Mapping[Any, Any], key: str) -> tuple[str, ...]:
    return lists.split(row.get(key))


def real(row: Mapping[Any, Any], key: str) -> float | None:
    value = row.get(key)
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def integer(row: Mapping[Any, Any], key: str) -> int | None:
    value = row.get(key)
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return int(value)


def moment(row: Mapping[Any, Any], key: str) -> datetime | None:
    value = row.get(key)
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        return value.to_pydatetime().astimezone(UTC)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    raise TypeError(f"{key}: expected a datetime, got {type(value).__name__}")


def required_moment(row: Mapping[Any, Any], key: str) -> datetime:
    value = moment(row, key)
    if value is None:
        raise ValueError(f"{key} is required")
    return value


def number_cell(value: float | int | None) -> float | int | None:
    return value
