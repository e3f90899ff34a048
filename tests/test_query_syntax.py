"""The filter bar's query syntax: parsing, errors, formatting and the seed project."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workstation.model import lists
from workstation.model.dates import local_to_utc
from workstation.model.query import EventQuery, QueryContext
from workstation.model.query_syntax import (
    QUERY_KEYS,
    QuerySyntaxError,
    format_query,
    parse_query,
)

SEOUL = "Asia/Seoul"
ZONES = ["UTC", SEOUL, "America/New_York", "Europe/Dublin", "Asia/Kathmandu", "Australia/Lord_Howe"]


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def error(text: str, zone: str = "UTC") -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text, zone)
    return caught.value


class TestParse:
    def test_issue_example(self) -> None:
        query = parse_query(
            'category:"missile test" system:KN-23 after:2022-01-10 tag:disputed', SEOUL
        )
        assert query == EventQuery(
            categories=frozenset({"missile test"}),
            systems=frozenset({"KN-23"}),
            tags=frozenset({"disputed"}),
            start_utc=utc(2022, 1, 9, 15),  # midnight in Seoul
        )

    def test_default_zone_is_utc(self) -> None:
        assert parse_query("after:2022-01-10").start_utc == utc(2022, 1, 10)

    @pytest.mark.parametrize("text", ["", " ", "\t\n  ", '""', '  ""  '])
    def test_empty_text_is_the_empty_query(self, text: str) -> None:
        assert parse_query(text, SEOUL) == EventQuery()

    def test_repeated_list_keys_collect_every_value(self) -> None:
        query = parse_query("category:statement category:political system:KN-23 system:KN-24")
        assert query.categories == {"statement", "political"}
        assert query.systems == {"KN-23", "KN-24"}
        query = parse_query("tag:kcna tag:rail tag:kcna")
        assert query.tags == {"kcna", "rail"}

    def test_keys_are_case_insensitive(self) -> None:
        assert parse_query("CATEGORY:x System:y tAg:z TEXT:w After:2022 BEFORE:2023 On:2022") == (
            parse_query("category:x system:y tag:z text:w after:2022 before:2023 on:2022")
        )

    def test_quoted_values_and_escapes(self) -> None:
        assert parse_query('category:"missile test"').categories == {"missile test"}
        assert parse_query(r'tag:"say \"hi\""').tags == {'say "hi"'}
        assert parse_query(r'tag:"a\\"').tags == {"a\\"}
        assert parse_query(r'tag:"C:\data"').tags == {r"C:\data"}  # other backslashes stay
        assert parse_query('tag:" padded  value "').tags == {"padded  value"}
        assert parse_query('system:"KM-SAM Block II" tag:x').systems == {"KM-SAM Block II"}

    def test_a_quote_inside_a_word_is_literal(self) -> None:
        assert parse_query('tag:a"b').tags == {'a"b'}
        assert parse_query('say"hi').text == 'say"hi'

    def test_bare_words_join_into_one_phrase(self) -> None:
        assert parse_query("Hwasong-11A").text == "Hwasong-11A"
        assert parse_query("  missile   test ").text == "missile test"
        assert parse_query('"missile test"').text == "missile test"
        assert parse_query('missile "" test').text == "missile test"
        assert parse_query("KCNA system:KN-23 launch").text == "KCNA launch"
        assert parse_query("text:KCNA launch").text == "KCNA launch"
        assert parse_query('text:"missile test"') == parse_query('"missile test"')

    def test_colons_that_are_not_filters_are_free_text(self) -> None:
        assert parse_query('"colour:red"').text == "colour:red"
        assert parse_query("http://example.org/a").text == "http://example.org/a"
        assert parse_query("Note: 10:30").text == "Note: 10:30"
        assert parse_query("system:foo:bar").systems == {"foo:bar"}

    def test_date_forms(self) -> None:
        def bounds(value: str) -> tuple[datetime | None, datetime | None]:
            query = parse_query(f"on:{value}", SEOUL)
            return query.start_utc, query.end_utc

        assert bounds("2022") == (utc(2021, 12, 31, 15), utc(2022, 12, 31, 14, 59, 59))
        assert bounds("2022-02") == (utc(2022, 1, 31, 15), utc(2022, 2, 28, 14, 59, 59))
        assert bounds("2022-01-10") == (utc(2022, 1, 9, 15), utc(2022, 1, 10, 14, 59, 59))
        assert bounds("2022-01-10T08:00") == (utc(2022, 1, 9, 23), utc(2022, 1, 9, 23, 0, 59))
        assert bounds("2022-01-10T08:00:30") == (utc(2022, 1, 9, 23, 0, 30),) * 2
        assert bounds("2022-01-10Z") == (utc(2022, 1, 10), utc(2022, 1, 10, 23, 59, 59))
        assert bounds("2022-01-10t08:00z") == (utc(2022, 1, 10, 8), utc(2022, 1, 10, 8, 0, 59))
        assert bounds('"2022-01-10 08:00"') == bounds("2022-01-10T08:00")
        assert bounds("2022-1-5") == bounds("2022-01-05")

    @pytest.mark.parametrize(
        ("value", "local"),
        [("2022", "2022"), ("2022-01", "2022-01"), ("2022-01-10", "2022-01-10"),
         ("2022-01-10T08:00", "2022-01-10 08:00")],
    )  # fmt: skip
    def test_after_reads_dates_like_local_to_utc(self, value: str, local: str) -> None:
        for zone in ZONES:
            assert parse_query(f"after:{value}", zone).start_utc == local_to_utc(local, zone)[0]

    def test_before_includes_the_whole_period(self) -> None:
        assert parse_query("before:2022-01-10", SEOUL).end_utc == utc(2022, 1, 10, 14, 59, 59)
        assert parse_query("before:2022-12").end_utc == utc(2022, 12, 31, 23, 59, 59)
        assert parse_query("before:2022").end_utc == utc(2022, 12, 31, 23, 59, 59)
        assert parse_query("before:9999").end_utc == utc(9999, 12, 31, 23, 59, 59)

    def test_period_ends_follow_daylight_saving(self) -> None:
        # New York leaves DST on 6 November 2022: that day has 25 hours.
        query = parse_query("on:2022-11-06", "America/New_York")
        assert query.start_utc == utc(2022, 11, 6, 4)
        assert query.end_utc == utc(2022, 11, 7, 4, 59, 59)

    def test_on_is_after_and_before_the_same_date(self) -> None:
        for value in ("2022", "2022-01", "2022-01-10", "2022-01-10T08:00"):
            assert parse_query(f"on:{value}", SEOUL) == parse_query(
                f"after:{value} before:{value}", SEOUL
            )

    def test_repeated_bounds_keep_the_most_restrictive(self) -> None:
        query = parse_query("after:2022-01-10 after:2022 before:2022-01-20 before:2022-02")
        assert query.start_utc == utc(2022, 1, 10)
        assert query.end_utc == utc(2022, 1, 20, 23, 59, 59)
        query = parse_query("on:2022-01 after:2022-01-14")
        assert (query.start_utc, query.end_utc) == (utc(2022, 1, 14), utc(2022, 1, 31, 23, 59, 59))

    def test_unknown_default_zone_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="IANA"):
            parse_query("KCNA", "Mars/Olympus_Mons")


class TestErrors:
    def test_unknown_key(self) -> None:
        err = error("KN-23 colour:red")
        assert err.position == 6
        assert err.message == (
            "unknown filter 'colour:'; known: category, system, tag, text, after, before, on"
        )
        assert str(err) == err.message
        assert isinstance(err, ValueError)

    def test_unknown_key_suggests_a_near_miss(self) -> None:
        err = error('systems:KN-23 category:"missile test"')
        assert err.position == 0
        assert "did you mean 'system:'?" in err.message
        assert error('colour:"red"').position == 0  # a quoted value is still a value

    def test_known_keys_are_listed_from_query_keys(self) -> None:
        assert error("x:y").message.endswith("known: " + ", ".join(QUERY_KEYS))
        assert list(QUERY_KEYS) == ["category", "system", "tag", "text", "after", "before", "on"]
        for help_text in QUERY_KEYS.values():
            assert help_text
            assert "\n" not in help_text

    @pytest.mark.parametrize(
        ("text", "position"),
        [("system:", 0), ("a system: b", 2), ('tag:""', 0), ('category:"   "', 0), ("on:", 0)],
    )
    def test_empty_value(self, text: str, position: int) -> None:
        err = error(text)
        assert err.position == position
        assert "needs a value" in err.message

    @pytest.mark.parametrize(
        ("text", "position"),
        [('tag:"abc', 4), ('KCNA "missile test', 5), (r'tag:"ends with \"', 4)],
    )
    def test_unclosed_quote(self, text: str, position: int) -> None:
        err = error(text)
        assert err.position == position
        assert "never closed" in err.message

    def test_a_closing_quote_must_end_the_term(self) -> None:
        err = error('tag:"a"b')
        assert err.position == 7
        assert "space after the closing quote" in err.message

    @pytest.mark.parametrize(
        ("text", "position"),
        [("after:2022-02-30", 6), ("before:2022-13", 7), ('x on:"2022-01-10T24:00"', 5)],
    )
    def test_impossible_date(self, text: str, position: int) -> None:
        err = error(text)
        assert err.position == position
        assert "is not a real date" in err.message

    @pytest.mark.parametrize(
        ("text", "position"),
        [("after:yesterday", 6), ("KCNA before:22-01-10", 12), ("on:2022-01-10T8", 3)],
    )
    def test_malformed_date(self, text: str, position: int) -> None:
        err = error(text)
        assert err.position == position
        assert "needs a date such as 2022-01-10" in err.message

    def test_date_outside_the_supported_range(self) -> None:
        err = error("after:0001", SEOUL)  # midnight local is still year 0 in UTC
        assert err.position == 6
        assert "outside the range" in err.message

    def test_empty_date_range(self) -> None:
        err = error("after:2022-02-01 before:2022-01-10")
        assert err.position == 17
        assert err.message == (
            "the date range is empty: after 2022-02-01 is later than before 2022-01-10"
        )
        assert error("before:2022-01-10 KCNA after:2022-02-01").position == 23
        assert error("on:2022-03 on:2022-01").message == (
            "the date range is empty: on 2022-03 is later than on 2022-01"
        )

    def test_a_single_instant_is_not_empty(self) -> None:
        query = parse_query("after:2022-01-10T08:00:30 before:2022-01-10T08:00:30")
        assert query.start_utc == query.end_utc

    def test_user_text_is_echoed_on_one_line(self) -> None:
        err = error('after:"next\nweek"')
        assert len(err.message.splitlines()) == 1
        assert "next week" in err.message

    @settings(max_examples=400)
    @given(st.text(), st.sampled_from(ZONES))
    @example('"', "UTC")
    @example("tag:\\", "UTC")
    @example("on:0001", SEOUL)
    @example("before:9999-12-31T23:59:59", "America/New_York")
    def test_any_text_parses_or_raises_query_syntax_error(self, text: str, zone: str) -> None:
        self._check(text, zone)

    @settings(max_examples=400)
    @given(
        st.lists(
            st.sampled_from(
                [*(f"{key}:" for key in QUERY_KEYS), "Tag:", "x:", "http:", '"', "\\", " ", ":",
                 "2022", "-01", "-1", "-31", "T08:00", ":30", "Z", "KN-23", "a b", "//", "\n"]
            )
        ).map("".join),
        st.sampled_from(ZONES),
    )  # fmt: skip
    def test_query_like_text_parses_or_raises_query_syntax_error(
        self, text: str, zone: str
    ) -> None:
        self._check(text, zone)

    @staticmethod
    def _check(text: str, zone: str) -> None:
        outcome: EventQuery | QuerySyntaxError
        try:
            outcome = parse_query(text, zone)
        except QuerySyntaxError as err:
            outcome = err
        if isinstance(outcome, QuerySyntaxError):
            assert 0 <= outcome.position <= len(text)
            assert outcome.message
            assert len(outcome.message.splitlines()) == 1
            assert str(outcome) == outcome.message
        else:
            assert isinstance(outcome, EventQuery)
            assert parse_query(format_query(outcome, zone), zone) == outcome


# Values as parse_query produces them: stripped and non-empty, from an alphabet that needs
# quoting and escaping (spaces, quotes, backslashes, colons).
ALPHABET = 'aK-1 "\\:é\t'
VALUES = st.text(ALPHABET, min_size=1, max_size=8).map(str.strip).filter(bool)
MOMENTS = st.datetimes(datetime(1900, 1, 1), datetime(2100, 12, 31), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=0)
)


@st.composite
def queries(draw: st.DrawFn) -> EventQuery:
    first, second = draw(st.none() | MOMENTS), draw(st.none() | MOMENTS)
    if first is not None and second is not None and first > second:
        first, second = second, first
    if draw(st.booleans()) and first is not None:
        second = first  # a single instant
    return EventQuery(
        text=draw(st.text(ALPHABET, max_size=12).map(str.strip)),
        categories=draw(st.frozensets(VALUES, max_size=3)),
        systems=draw(st.frozensets(VALUES, max_size=3)),
        tags=draw(st.frozensets(VALUES, max_size=3)),
        start_utc=first,
        end_utc=second,
    )


class TestFormat:
    @settings(max_examples=500)
    @given(queries(), st.sampled_from(ZONES))
    def test_round_trip(self, query: EventQuery, zone: str) -> None:
        text = format_query(query, zone)
        assert parse_query(text, zone) == query, text

    def test_issue_example_reads_back_as_written(self) -> None:
        text = 'category:"missile test" system:KN-23 tag:disputed after:2022-01-10'
        assert format_query(parse_query(text, SEOUL), SEOUL) == text

    def test_shortest_local_forms(self) -> None:
        assert format_query(parse_query("on:2022-01", SEOUL), SEOUL) == "on:2022-01"
        assert format_query(parse_query("after:2022-01-01", SEOUL), SEOUL) == "after:2022"
        assert format_query(parse_query("on:2022-01", SEOUL)) == (
            "after:2021-12-31T15:00 before:2022-01-31T14:59"
        )
        query = parse_query("after:2022-01-10T08:00:30 before:2022-01-10T09:00", SEOUL)
        assert format_query(query, SEOUL) == "after:2022-01-10T08:00:30 before:2022-01-10T09:00"

    def test_quoting(self) -> None:
        query = EventQuery(text='say "hi"', tags=frozenset({"a b", 'q"', "back\\slash", "plain"}))
        assert format_query(query) == (r'"say \"hi\"" tag:"a b" tag:back\slash tag:plain tag:"q\""')
        assert format_query(EventQuery(text="colour:red")) == '"colour:red"'
        assert format_query(EventQuery(text="KCNA")) == "KCNA"
        assert format_query(EventQuery()) == ""

    def test_repeated_hour_falls_back_to_utc(self) -> None:
        # 01:30 happens twice in New York on 6 November 2022; the second one is 06:30Z.
        moment = utc(2022, 11, 6, 6, 30)
        query = EventQuery(start_utc=moment)
        text = format_query(query, "America/New_York")
        assert text == "after:2022-11-06T06:30:00Z"
        assert parse_query(text, "America/New_York") == query


# -- the seed project ------------------------------------------------------------------------
KN23_EVENTS = ["A04c", "A11", "A18"]
JANUARY_LAUNCHES = ["A05", "A08", "A11", "A13", "A17", "A18", "A19"]


def found(document, text: str, zone: str = SEOUL) -> list[str]:  # type: ignore[no-untyped-def]
    events = document.events
    mask = parse_query(text, zone).mask(events, QueryContext.of(document))
    return sorted(events["id"][mask])


def with_system(events: pd.DataFrame, system: str) -> list[str]:
    return sorted(events["id"][events["systems"].map(lambda s: system in lists.split(s))])


class TestSeed:
    def test_the_seed_kn23_events(self, seed_document) -> None:  # type: ignore[no-untyped-def]
        assert with_system(seed_document.events, "KN-23") == KN23_EVENTS

    @pytest.mark.parametrize(
        "text", ["system:Hwasong-11A", "Hwasong-11A", "system:kn23", 'system:"rail-mobile KN-23"']
    )
    def test_an_alias_finds_the_kn23_events(self, seed_document, text: str) -> None:  # type: ignore[no-untyped-def]
        assert found(seed_document, text) == KN23_EVENTS

    def test_systems_or_together(self, seed_document) -> None:  # type: ignore[no-untyped-def]
        either = found(seed_document, "system:Hwasong-11A system:Hwasong-11B")
        assert either == sorted([*KN23_EVENTS, *with_system(seed_document.events, "KN-24")])

    def test_january_2022_launches(self, seed_document) -> None:  # type: ignore[no-untyped-def]
        text = 'category:"missile test" after:2022-01-01 before:2022-01-31'
        assert found(seed_document, text) == JANUARY_LAUNCHES
        assert found(seed_document, 'category:"missile test" on:2022-01') == JANUARY_LAUNCHES

    def test_before_includes_its_last_day(self, seed_document) -> None:  # type: ignore[no-untyped-def]
        # A05 was launched at 08:10 KST on 5 January (23:10Z on the 4th).
        launches = 'category:"missile test" after:2022-01-01'
        assert found(seed_document, f"{launches} before:2022-01-05") == ["A05"]
        assert found(seed_document, f"{launches} before:2022-01-04") == []
        assert found(seed_document, f"{launches} before:2022-01-04", "UTC") == ["A05"]

    def test_kcna_as_free_text(self, seed_document) -> None:  # type: ignore[no-untyped-def]
        events = seed_document.events
        hits = set(found(seed_document, "KCNA"))

        def mentions(column: str) -> set[str]:
            return set(events["id"][events[column].str.contains("kcna", case=False)])

        assert mentions("tags") | mentions("summary") <= hits
        # Anything else it finds is an event of a system one of whose names mentions KCNA.
        systems = seed_document.table("systems")
        named = systems["id"][
            (systems["name"] + systems["aliases"]).str.contains("kcna", case=False)
        ]
        by_alias = {event for system in named for event in with_system(events, system)}
        assert hits == mentions("tags") | mentions("summary") | mentions("title") | by_alias
        assert found(seed_document, "kcna") == sorted(hits)  # free text ignores case

    def test_worked_examples_from_the_docs(self, seed_document) -> None:  # type: ignore[no-untyped-def]
        doc = seed_document
        assert found(doc, 'category:"missile test" system:KN-23 system:KN-24 on:2022') == [
            "A11", "A13", "A18"
        ]  # fmt: skip
        assert found(doc, "on:2022-01-14") == ["A10", "A11"]
        assert found(doc, "on:2022-01-14Z") == ["A11", "X02"]
        assert found(doc, "tag:hypersonic category:statement") == ["A06", "A07"]
        assert found(doc, "system:KN-17") == ["A19"]
        assert found(doc, "Jagang") == ["A04d", "A05", "A08", "A19"]
        assert (len(found(doc, "tag:kcna")), len(found(doc, "KCNA"))) == (14, 18)
        assert found(doc, 'category:"missile test" after:2022-01-25 before:2022-01-30') == [
            "A17", "A18", "A19"
        ]  # fmt: skip

    def test_masks_have_one_entry_per_event(self, seed_document) -> None:  # type: ignore[no-untyped-def]
        mask = parse_query("KCNA").mask(seed_document.events, QueryContext.of(seed_document))
        assert isinstance(mask, np.ndarray)
        assert len(mask) == len(seed_document.events)


def test_one_second_before_a_day_is_outside_it() -> None:
    query = parse_query("on:2022-01-10", SEOUL)
    assert query.start_utc is not None
    assert query.end_utc is not None
    assert query.end_utc - query.start_utc == timedelta(days=1) - timedelta(seconds=1)
