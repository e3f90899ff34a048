"""Domain records: units, qualifiers, grading, aliases, dates, targets, lists."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from workstation.model import lists, tables
from workstation.model.annotations import Annotation, Confidence, Target, TargetKind
from workstation.model.dates import Precision, local_dates, local_to_utc, parse_utc, zone
from workstation.model.events import Event
from workstation.model.measurements import Measurement, Qualifier, SubjectType
from workstation.model.places import Place
from workstation.model.sources import Source, SourceRef
from workstation.model.systems import AliasIndex, MissileClass, MissileSystem
from workstation.model.units import UnitError, convert


def claim(**fields: object) -> Measurement:
    base: dict[str, object] = dict(
        id="M1",
        subject_type=SubjectType.EVENT,
        subject_id="A05",
        parameter="apogee",
        qualifier=Qualifier.LESS_THAN,
        value=50.0,
        unit="km",
        claimant="ROK MND",
        source_id="article",
        locator="¶4",
        reliability="B",
        credibility=2,
    )
    base.update(fields)
    return Measurement(**base)  # type: ignore[arg-type]


class TestUnits:
    def test_lengths(self) -> None:
        assert convert(1.0, "mi", "km") == pytest.approx(1.609344)
        assert convert(1.0, "nmi", "km") == pytest.approx(1.852)
        assert convert(700.0, "km", "nmi") == pytest.approx(377.97, abs=0.01)

    def test_speeds(self) -> None:
        assert convert(1.0, "km/s", "km/h") == pytest.approx(3600.0)
        assert convert(10.0, "Mach", "km/s") == pytest.approx(3.40294)
        assert convert(convert(6.0, "Mach", "km/h"), "km/h", "Mach") == pytest.approx(6.0)

    def test_wrong_dimension_and_unknown_unit(self) -> None:
        with pytest.raises(UnitError):
            convert(1.0, "km", "Mach")
        with pytest.raises(UnitError):
            convert(1.0, "lm", "km")


class TestMeasurements:
    def test_upper_bound_is_not_the_value(self) -> None:
        bounds = claim().bounds()
        assert bounds.lower is None
        assert bounds.upper == 50.0
        assert not bounds.upper_inclusive
        assert claim().text() == "< 50 km"

    def test_qualifiers_read_as_stated(self) -> None:
        assert claim(qualifier=Qualifier.GREATER_THAN, value=700.0).text() == "> 700 km"
        assert claim(qualifier=Qualifier.APPROXIMATE, value=60.0).text() == "≈ 60 km"
        assert claim(qualifier=Qualifier.AT_MOST, value=16.0, unit="Mach").text() == "≤ 16 Mach"
        between = claim(qualifier=Qualifier.BETWEEN, value=None, lower=25.0, upper=90.0)
        assert between.text() == "25–90 km"
        assert between.bounds().lower == 25.0
        assert between.bounds().upper == 90.0
        approx = claim(qualifier=Qualifier.APPROXIMATE, value=60.0).bounds()
        assert approx.approximate
        assert approx.lower == approx.upper == 60.0

    def test_conversion_is_for_display_only(self) -> None:
        m = claim(qualifier=Qualifier.GREATER_THAN, value=700.0)
        assert m.text("mi") == "> 435 mi"
        assert m.value == 700.0
        assert m.unit == "km"

    def test_grade(self) -> None:
        assert claim().grade == "B2"
        assert claim(reliability="", credibility=None).grade == "F6"

    @pytest.mark.parametrize(
        "fields",
        [
            {"qualifier": Qualifier.BETWEEN, "value": None, "lower": 90.0, "upper": 25.0},
            {"qualifier": Qualifier.EXACT, "value": None},
            {"reliability": "G"},
            {"credibility": 7},
            {"unit": "furlong"},
            {"subject_type": "planet"},
        ],
    )
    def test_invalid_claims_are_refused(self, fields: dict[str, object]) -> None:
        with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
            claim(**fields)

    def test_row_round_trip(self) -> None:
        m = claim(qualifier=Qualifier.BETWEEN, value=None, lower=25.0, upper=90.0, note="x")
        assert Measurement.from_row(m.to_row()) == m


class TestAliases:
    def test_aliases_resolve_to_one_system(self) -> None:
        systems = [
            MissileSystem(
                "KN-23",
                "KN-23",
                ("Hwasong-11A", "Hwasong-11Ga", "rail-mobile KN-23"),
                MissileClass.SRBM,
            ),
            MissileSystem("Hwasong-12", "Hwasong-12", ("KN-17",), MissileClass.IRBM),
        ]
        index = AliasIndex(systems)
        assert index.resolve("hwasong 11a") == "KN-23"
        assert index.resolve("Hwasong-11Ga") == "KN-23"
        assert index.resolve("kn17") == "Hwasong-12"
        assert index.same("KN-17", "Hwasong-12")
        assert not index.same("KN-17", "KN-23")
        assert index.resolve("Scud") is None

    def test_system_row_round_trip(self) -> None:
        s = MissileSystem("KN-24", "KN-24", ("Hwasong-11B",), MissileClass.SRBM, "DPRK", "solid")
        assert MissileSystem.from_row(s.to_row()) == s
        railed = MissileSystem("KN-23", "KN-23", launch_platform="railway launcher")
        row = railed.to_row()
        assert list(row) == tables.column_names("systems")
        assert row["launch_platform"] == "railway launcher"
        assert MissileSystem.from_row(row) == railed

    def test_a_system_row_without_a_launch_platform_reads_blank(self) -> None:
        row = MissileSystem("KN-24", "KN-24").to_row()
        del row["launch_platform"]
        assert MissileSystem.from_row(row).launch_platform == ""


class TestDates:
    def test_local_to_utc_keeps_precision(self) -> None:
        moment, precision = local_to_utc("2022-01-05 08:10", "Asia/Seoul")
        assert moment == datetime(2022, 1, 4, 23, 10, tzinfo=UTC)
        assert precision is Precision.TIME
        moment, precision = local_to_utc("2022-01", "Asia/Seoul")
        assert precision is Precision.MONTH
        assert moment == datetime(2021, 12, 31, 15, 0, tzinfo=UTC)
        assert local_to_utc("2017", "Asia/Seoul")[1] is Precision.YEAR

    @pytest.mark.parametrize("text", ["2022-02-30", "2022-13", "5 Jan", "2022-01-05 25:00", ""])
    def test_impossible_dates_are_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="not a local date"):
            local_to_utc(text, "Asia/Seoul")

    def test_zone_rejects_paths_and_unknown_names(self) -> None:
        for name in ("../../etc/passwd", "/etc/localtime", "Mars/Olympus", ""):
            with pytest.raises(ValueError, match="IANA"):
                zone(name)

    def test_parse_utc_is_strict(self) -> None:
        assert parse_utc("2022-01-04T23:10:00Z") == datetime(2022, 1, 4, 23, 10, tzinfo=UTC)
        for bad in ("2022-01-04 23:10:00", "2022-01-04T23:10:00+09:00", "yesterday"):
            with pytest.raises(ValueError):  # noqa: PT011
                parse_utc(bad)

    def test_local_dates_per_row_zone(self) -> None:
        starts = pd.Series(
            pd.to_datetime(["2022-01-04T23:10:00Z", "2022-01-04T23:10:00Z"], utc=True)
        )
        zones = pd.Series(["Asia/Seoul", "UTC"])
        assert list(local_dates(starts, zones)) == [date(2022, 1, 5), date(2022, 1, 4)]


class TestRecords:
    def test_event_round_trip_and_local_date(self) -> None:
        event = Event(
            id="A05",
            start_utc=datetime(2022, 1, 4, 23, 10, tzinfo=UTC),
            timezone="Asia/Seoul",
            category="missile test",
            title="Launch",
            systems=("Jan2022-MaRV",),
            missile_count=1,
            tags=("hypersonic",),
            sources=(SourceRef("article", "¶3"), SourceRef("S3")),
            latitude=40.6,
            longitude=126.4,
        )
        assert event.local_date == date(2022, 1, 5)
        assert Event.from_row(event.to_row()) == event

    @pytest.mark.parametrize(
        "fields",
        [
            {"start_utc": datetime(2022, 1, 1)},  # naive
            {"end_utc": datetime(2021, 1, 1, tzinfo=UTC)},  # before start
            {"timezone": "Nowhere/City"},
            {"missile_count": -1},
            {"latitude": 91.0},
            {"precision": "sometime"},
        ],
    )
    def test_event_refuses_impossible_values(self, fields: dict[str, object]) -> None:
        base: dict[str, object] = dict(id="X", start_utc=datetime(2022, 1, 1, tzinfo=UTC))
        base.update(fields)
        with pytest.raises(ValueError):  # noqa: PT011
            Event(**base)  # type: ignore[arg-type]

    def test_source_and_place_round_trip(self) -> None:
        source = Source(
            "S1", "JCS on 11 Jan launch", "Yonhap", "2022-01-11", "https://example.org", "none", "B"
        )
        assert Source.from_row(source.to_row()) == source
        place = Place(
            "uiju", "Uiju launch area", ("Ŭiju",), "North Pyongan", 40.0258, 124.5779, "site", "CNS"
        )
        assert Place.from_row(place.to_row()) == place
        assert str(SourceRef.parse("article:¶4")) == "article:¶4"

    def test_annotation_targets(self) -> None:
        start = datetime(2022, 1, 5, tzinfo=UTC)
        end = datetime(2022, 1, 31, tzinfo=UTC)
        targets = (
            Target.parse("event:A05"),
            Target.parse("system:KN-23"),
            Target.time(start, end),
            Target(TargetKind.PROJECT),
        )
        note = Annotation(
            "N1", targets, "# Heading\nbody", start, end, ("tag",), "me", Confidence.LIKELY
        )
        assert Annotation.from_row(note.to_row()) == note
        assert note.first_line == "Heading"
        assert targets[2].time_range() == (start, end)
        for bad in ("event:", "planet:X", "time:2022/2021", "project:x"):
            with pytest.raises(ValueError, match="target"):
                Target.parse(bad)


def test_list_cells() -> None:
    assert lists.split("a; b;c\nd") == ("a", "b", "c", "d")
    assert lists.split(None) == ()
    assert lists.join(["a", " b "]) == "a; b"
    with pytest.raises(ValueError, match="may not contain"):
        lists.join(["a;b"])
