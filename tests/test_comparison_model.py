"""The comparison's Qt-free rules: claims per cell, headline order, texts, conversions,
disagreement (a table of cases with bound edge cases), glyphs and distances."""

from __future__ import annotations

import math

import pytest

from workstation.model import comparison as cmp
from workstation.model.document import Document
from workstation.model.measurements import Measurement, Qualifier, SubjectType


def claim(
    qualifier: str,
    value: float | None = None,
    unit: str = "km",
    claimant: str = "X",
    lower: float | None = None,
    upper: float | None = None,
    reliability: str = "B",
    credibility: int | None = 2,
) -> cmp.Claim:
    m = Measurement(
        id=f"M-{claimant}-{qualifier}-{value}",
        subject_type=SubjectType.EVENT,
        subject_id="E",
        parameter="range",
        qualifier=Qualifier(qualifier),
        value=value,
        lower=lower,
        upper=upper,
        unit=unit,
        claimant=claimant,
        reliability=reliability,
        credibility=credibility,
    )
    return cmp.Claim(m, ("S",), (m.id,))


def texts(document: Document, event_id: str, parameter: str, unit: str) -> list[tuple[str, str]]:
    item = cmp.subject(document, "event", event_id)
    return [
        (cmp.claim_text(c.measurement, unit), c.claimant)
        for c in cmp.claims(document, item, parameter)
    ]


# -- the seed's headline case -----------------------------------------------------------------
def test_headline_case_5_vs_11_january(seed_document: Document) -> None:
    fifth, eleventh = (cmp.subject(seed_document, "event", e) for e in ("A05", "A08"))
    assert fifth.label == "Jan2022-MaRV · 2022-01-05"
    assert eleventh.label == "Jan2022-MaRV · 2022-01-11"
    assert texts(seed_document, "A05", "max_speed", "Mach")[0] == ("Mach 6", "ROK MND")
    speeds = texts(seed_document, "A08", "max_speed", "Mach")
    assert ("≈ Mach 10", "ROK MND") in speeds
    assert texts(seed_document, "A05", "apogee", "km")[0] == ("< 50 km", "ROK MND")
    assert ("≈ 60 km", "ROK MND") in texts(seed_document, "A08", "apogee", "km")
    range_5 = texts(seed_document, "A05", "range", "km")
    range_11 = texts(seed_document, "A08", "range", "km")
    assert range_5[0] == ("< 700 km", "ROK MND")
    assert ("> 700 km", "ROK MND") in range_11
    # KCNA's own claims sit beside them, each with its claimant
    assert ("700 km", "KCNA") in range_5
    assert ("1,000 km", "KCNA") in range_11
    # and the cross-checked reference values keep their own claimants
    assert ("> 700 km", "ROK JCS") in range_11
    assert ("≈ 500 km", "Japan MoD") in range_5


def test_identical_claims_from_two_sources_are_one_line(seed_document: Document) -> None:
    item = cmp.subject(seed_document, "event", "A05")
    [apogee] = cmp.claims(seed_document, item, "apogee")
    assert apogee.sources == ("article ¶4", "S2")
    assert set(apogee.ids) == {"M006", "M009"}
    assert cmp.claim_line(apogee, "km") == "< 50 km — ROK MND (article ¶4; S2) B2"


def test_headline_is_the_best_graded_or_the_claimants_order(seed_document: Document) -> None:
    item = cmp.subject(seed_document, "event", "A08")
    found = cmp.claims(seed_document, item, "range")
    assert found[-1].claimant == "KCNA"  # D3: graded below the B2 assessments
    by_claimant = cmp.order_claims(found, "claimant", ["KCNA", "ROK MND"])
    assert [c.claimant for c in by_claimant][:2] == ["KCNA", "ROK MND"]


def test_systems_and_attributes(seed_document: Document) -> None:
    kn23 = cmp.subject(seed_document, "system", "KN-23")
    assert kn23.label == "KN-23"
    assert cmp.attribute(seed_document, kn23, "class") == "SRBM"
    ranges = [cmp.claim_text(c.measurement, "km") for c in cmp.claims(seed_document, kn23, "range")]
    assert "690 km" in ranges
    a11 = cmp.subject(seed_document, "event", "A11")
    assert a11.system_id == "KN-23"
    assert cmp.attribute(seed_document, a11, "class") == "SRBM"  # a test shows its system's rows
    keys = {s.key for s in cmp.candidate_subjects(seed_document)}
    assert {"system:KN-23", "event:A05", "event:A08"} <= keys
    assert "event:A02" not in keys  # no claims
    picked = cmp.subjects_from_selection(seed_document, ["A08", "A05", "A02"])
    assert [s.id for s in picked] == ["A02", "A05", "A08"][: len(picked)] or [s.id for s in picked]


# -- texts and conversions --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("qualifier", "value", "unit", "to", "text"),
    [
        ("less-than", 50, "km", "km", "< 50 km"),
        ("approximate", 60, "km", "km", "≈ 60 km"),
        ("greater-than", 700, "km", "km", "> 700 km"),
        ("exact", 1000, "km", "km", "1,000 km"),
        ("exact", 1000, "km", "mi", "621 mi"),
        ("less-than", 700, "km", "nmi", "< 378 nmi"),
        ("exact", 6, "Mach", "Mach", "Mach 6"),
        ("approximate", 10, "Mach", "km/s", "≈ 3.4 km/s"),
        ("exact", 6, "Mach", "km/h", "7,350 km/h"),
        ("at-most", 4500, "km", "km", "≤ 4,500 km"),
    ],
)
def test_texts_and_conversions(qualifier: str, value: float, unit: str, to: str, text: str) -> None:
    c = claim(qualifier, value, unit)
    assert cmp.claim_text(c.measurement, to) == text
    assert c.measurement.value == value  # conversions never change the stored value


def test_interval_texts() -> None:
    c = claim("between", lower=25, upper=90)
    assert cmp.claim_text(c.measurement, "km") == "25–90 km"
    assert (
        cmp.claim_text(claim("between", unit="Mach", lower=5, upper=6).measurement, "Mach")
        == "Mach 5–6"
    )


def test_sensible_rounding() -> None:
    assert [cmp.number(v) for v in (0.3403, 6, 12.34, 999.4, 1000, 3404.4)] == [
        "0.34",
        "6",
        "12.3",
        "999",
        "1,000",
        "3,404",
    ]


# -- disagreement --------------------------------------------------------------------------------
CASES = [
    # (first, second, conflict?, at the bound?)
    (
        claim("exact", 1000, claimant="KCNA"),
        claim("greater-than", 700, claimant="JCS"),
        False,
        False,
    ),
    (claim("exact", 700, claimant="KCNA"), claim("less-than", 700, claimant="MND"), True, True),
    (claim("exact", 700), claim("at-most", 700), False, False),  # ≤ includes the bound
    (claim("exact", 700), claim("greater-than", 700), True, True),
    (claim("greater-than", 700), claim("greater-than", 700), False, False),
    (claim("less-than", 700), claim("greater-than", 700), True, True),  # touch, both open
    (claim("at-most", 700), claim("greater-than", 700), True, True),
    (claim("less-than", 50), claim("approximate", 60), True, False),  # 54-66 vs below 50
    (claim("approximate", 50), claim("approximate", 60), False, False),  # 45-55 and 54-66
    (claim("approximate", 50), claim("exact", 60), True, False),
    (claim("between", lower=25, upper=90), claim("exact", 60), False, False),
    (claim("between", lower=25, upper=90), claim("exact", 95), True, False),
    (claim("between", lower=25, upper=90), claim("less-than", 25), True, True),
    (claim("exact", 6, unit="Mach"), claim("exact", 2.0418, unit="km/s"), False, False),  # Mach 6
    (claim("exact", 700), claim("exact", 435, unit="mi"), False, False),  # 435 mi = 700 km
    (claim("exact", 700), claim("exact", 450, unit="mi"), True, False),  # 724 km
    (claim("exact", 700), claim("exact", 6, unit="Mach"), False, False),  # no common dimension
]


@pytest.mark.parametrize(("a", "b", "conflict", "at_bound"), CASES)
def test_disagreement_rules(a: cmp.Claim, b: cmp.Claim, conflict: bool, at_bound: bool) -> None:
    for first, second in ((a, b), (b, a)):  # symmetric
        found = cmp.conflict(first, second)
        assert (found is not None) == conflict
        if found is not None:
            assert found.at_bound == at_bound
            assert ("at the bound" in found.reason) == at_bound


def test_disagreement_reason_explains(seed_document: Document) -> None:
    item = cmp.subject(seed_document, "event", "A05")
    flags = cmp.conflicts(cmp.claims(seed_document, item, "range"))
    reasons = [f.reason for f in flags]
    assert any(
        "KCNA's 700 km" in r and "ROK MND's < 700 km excludes" in r and "at the bound" in r
        for r in reasons
    )
    eleventh = cmp.subject(seed_document, "event", "A08")
    assert cmp.conflicts(cmp.claims(seed_document, eleventh, "range")) == []  # 1,000 > 700


# -- glyphs and distances -------------------------------------------------------------------------
def test_glyphs_never_draw_a_bound_as_a_value() -> None:
    upper = cmp.glyph(claim("less-than", 50).measurement, "km", 10)
    assert (upper.kind, upper.value, upper.high, upper.low, upper.open_end) == (
        "upper",
        50,
        50,
        40,
        "down",
    )
    lower = cmp.glyph(claim("greater-than", 700).measurement, "km", 100)
    assert (lower.value, lower.low, lower.high, lower.open_end) == (700, 700, 800, "up")
    band = cmp.glyph(claim("approximate", 60).measurement, "km", 10)
    assert (band.kind, band.low, band.high) == ("approximate", pytest.approx(54), pytest.approx(66))
    interval = cmp.glyph(claim("between", lower=25, upper=90).measurement, "km", 10)
    assert (interval.kind, interval.low, interval.high, interval.open_end) == (
        "interval",
        25,
        90,
        "",
    )
    miles = cmp.glyph(claim("less-than", 700).measurement, "mi", 0)
    assert miles.value == pytest.approx(434.96, abs=0.01)


def test_great_circle_pyongyang_to_guam(seed_document: Document) -> None:
    km = cmp.place_distance_km(seed_document, "pyongyang", "guam")
    assert 3350 < km < 3450  # "about 3,400 km"
    assert cmp.great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * cmp.EARTH_RADIUS_KM)


def test_apogee_range_points_use_headline_claims(seed_document: Document) -> None:
    points = {p.event_id: p for p in cmp.apogee_range_points(seed_document)}
    assert {"A05", "A08", "A11", "A19"} <= set(points)
    assert points["A05"].xy() == (700, 50)
    assert points["A05"].range_claim.measurement.qualifier is Qualifier.LESS_THAN
    assert points["A19"].system == "Hwasong-12"


# -- found on a second read -----------------------------------------------------------------
def test_claims_without_a_unit_or_of_another_dimension_are_shown_as_stated() -> None:
    no_unit = claim("less-than", 300, unit="")
    assert cmp.claim_text(no_unit.measurement, "km") == "< 300 (no unit)"
    minutes = claim("exact", 7, unit="min")
    assert cmp.claim_text(minutes.measurement, "km") == "7 min (not comparable)"
    assert cmp.conflict(no_unit, claim("exact", 700)) is None
    assert cmp.conflict(minutes, claim("exact", 700)) is None


def test_verdicts_do_not_depend_on_order_or_unit() -> None:
    metres = claim("exact", 1, unit="m")
    assert cmp.conflict(metres, claim("exact", 1.9, unit="m")) is not None
    assert cmp.conflict(claim("exact", 0.001, unit="km"), claim("exact", 1.9, unit="m")) is not None
    below, above = claim("less-than", 1000, unit="m"), claim("greater-than", 0.999, unit="km")
    assert (cmp.conflict(below, above) is None) == (cmp.conflict(above, below) is None)


def test_reasons_speak_the_docks_unit() -> None:
    found = cmp.conflict(
        claim("exact", 700, claimant="KCNA"), claim("less-than", 700, claimant="MND"), "mi"
    )
    assert found is not None
    assert "meet only at 435 mi" in found.reason
    mach = cmp.conflict(claim("exact", 6, unit="Mach"), claim("less-than", 6, unit="Mach"), "Mach")
    assert mach is not None
    assert "at Mach 6," in mach.reason


def test_an_approximate_band_is_the_same_width_below_zero() -> None:
    assert (
        cmp.conflict(
            claim("approximate", -10, claimant="A"), claim("approximate", -10, claimant="B")
        )
        is None
    )


def test_from_selection_takes_tests_with_claims_only(seed_document: Document) -> None:
    picked = cmp.subjects_from_selection(seed_document, ["A02", "A08", "A05", "X01"])
    assert [s.id for s in picked] == ["A05", "A08"]
