"""Admiralty (NATO) grading: source reliability A-F and information credibility 1-6."""

from __future__ import annotations

RELIABILITY: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}

CREDIBILITY: dict[int, str] = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


def check_reliability(grade: str) -> str:
    if grade not in RELIABILITY:
        raise ValueError(f"source reliability must be one of A-F, not {grade!r}")
    return grade


def check_credibility(grade: int) -> int:
    if grade not in CREDIBILITY:
        raise ValueError(f"information credibility must be 1-6, not {grade!r}")
    return grade


def admiralty_code(reliability: str, credibility: int | None) -> str:
    """``"B2"``-style code; ``F6`` stands for ungraded parts."""
    return f"{reliability or 'F'}{credibility if credibility is not None else 6}"
