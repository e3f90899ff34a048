"""Place names in imported files matched to the project's places, or added as new places."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.conftest import SEED
from workstation import store
from workstation.io.place_match import NEAR_KM, match_places, norm
from workstation.model import tables
from workstation.model.places import Place

PLACES = store.load(SEED).table("places")
NOWHERE = (math.nan, math.nan)


def incoming(*rows: tuple[str, float, float]) -> pd.DataFrame:
    frame = tables.empty("events").reindex(range(len(rows)))
    frame["place"] = [r[0] for r in rows]
    frame["latitude"] = [r[1] for r in rows]
    frame["longitude"] = [r[2] for r in rows]
    return frame


@pytest.mark.parametrize(
    ("name", "where", "expected"),
    [
        # The CNS database's spellings of the seed's places, with its coordinates.
        ("Mupyong-ni Arms Plant", (40.611208, 126.4329), "mupyong-ri"),
        ("Pyongyang International Airport", (39.200159, 125.6749), "sunan-airport"),
        ("Hungnam", (39.811611, 127.6383), "hungnam"),
        ("Uiju", (40.025847, 124.5433), "uiju"),
        # Other names, accents, apostrophes, case and hyphens.
        ("Ŭiju", NOWHERE, "uiju"),
        ("Mup'yong-ni", NOWHERE, "mupyong-ri"),
        ("CHAGANG-DO", NOWHERE, "jagang-province"),
        ("Toyang-ri", NOWHERE, "toyang-ri"),
        ("Sunan airfield", NOWHERE, "sunan-airport"),
        # A whole-word prefix either way.
        ("Hungnam launch area", NOWHERE, "hungnam"),
        ("Kanggye city", NOWHERE, "kanggye"),
        ("Punggye-ri", NOWHERE, "punggye-ri"),
    ],
)
def test_a_known_place_is_found_by_any_spelling(
    name: str, where: tuple[float, float], expected: str
) -> None:
    found = match_places(PLACES, incoming((name, *where)), "cns.csv")
    assert found.events.loc[0, "place"] == expected
    assert found.places.empty
    assert found.lines == [
        f"{name!r} is {expected} ({PLACES.set_index('id').loc[expected, 'name']})"
    ]


def test_a_name_alone_does_not_match_a_place_far_away() -> None:
    # Namesakes exist: "Pyongyang" with coordinates on Guam is not the seed's Pyongyang.
    found = match_places(PLACES, incoming(("Pyongyang", 13.44, 144.79)), "odd.csv")
    assert found.events.loc[0, "place"] == "pyongyang-2"
    assert found.lines == [
        f"'Pyongyang' is a new place, pyongyang-2 (pyongyang has its name but lies over "
        f"{NEAR_KM:.0f} km away)"
    ]


def test_an_unknown_name_becomes_one_new_place_with_the_files_coordinates() -> None:
    found = match_places(
        PLACES,
        incoming(
            ("Sohae Satellite Launching Station", 39.66, 124.705),
            ("SOHAE satellite launching station", math.nan, math.nan),
            ("", math.nan, math.nan),
        ),
        "cns.csv",
    )
    assert list(found.events["place"]) == ["sohae-satellite-launching-station"] * 2 + [""]
    assert len(found.places) == 1
    place = Place.from_row(found.places.iloc[0])
    assert (place.name, place.latitude, place.longitude, place.coord_source) == (
        "Sohae Satellite Launching Station",
        39.66,
        124.705,
        "cns.csv",
    )
    # The second row, without coordinates, takes its place's.
    assert found.events.loc[1, "latitude"] == pytest.approx(39.66)
    assert math.isnan(found.events.loc[2, "latitude"])


def test_a_matched_place_lends_its_coordinates_to_events_without_them() -> None:
    found = match_places(PLACES, incoming(("Kanggye", math.nan, math.nan)), "x.csv")
    kanggye = PLACES.set_index("id").loc["kanggye"]
    assert found.events.loc[0, "latitude"] == pytest.approx(kanggye["latitude"])
    assert found.events.loc[0, "longitude"] == pytest.approx(kanggye["longitude"])


def test_project_ids_pass_as_they_are() -> None:
    # A canonical file names places by id: nothing to say, nothing to add.
    found = match_places(PLACES, incoming(("mupyong-ri", 40.6, 126.4)), "events.csv")
    assert found.events.loc[0, "place"] == "mupyong-ri"
    assert found.lines == []
    assert found.places.empty
    assert found.events.loc[0, "latitude"] == 40.6  # the file's own coordinates are kept


def test_an_ambiguous_prefix_is_decided_by_coordinates_or_not_at_all() -> None:
    places = tables.from_records(
        "places",
        [
            Place("east-port", "Sinpo east port", latitude=40.03, longitude=128.19).to_row(),
            Place("west-yard", "Sinpo west yard", latitude=40.02, longitude=128.16).to_row(),
        ],
    )
    near_west = match_places(places, incoming(("Sinpo", 40.021, 128.161)), "x.csv")
    assert near_west.events.loc[0, "place"] == "west-yard"
    assert near_west.lines == [
        "'Sinpo' is west-yard (Sinpo west yard) (the nearest of its namesakes)"
    ]
    unplaced = match_places(places, incoming(("Sinpo", math.nan, math.nan)), "x.csv")
    assert unplaced.events.loc[0, "place"] == "sinpo"
    assert unplaced.lines == [
        "'Sinpo' is a new place, sinpo (the name could be east-port, west-yard)"
    ]


def test_names_compare_without_accents_case_apostrophes_or_hyphens() -> None:
    assert norm("Mup'yŏng-ni  Arms_Plant") == "mupyong ni arms plant"
    assert norm("P’yŏngyang") == "pyongyang"


def test_a_file_of_many_distinct_names_is_matched_name_by_name_quickly() -> None:
    names = [f"Site {i}" for i in range(20_000)]
    frame = incoming(*((n, math.nan, math.nan) for n in names))
    found = match_places(PLACES, frame, "many.csv")
    assert len(found.places) == 20_000
    assert found.lines[-1] == f"and {20_000 - 200:,} more place names"
