"""The seed project: built from data/seed/, up to date, and faithful to the article's facts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO, SEED
from workstation import store
from workstation.model import lists, tables
from workstation.model.dates import local_dates
from workstation.model.document import Document
from workstation.model.measurements import Measurement
from workstation.seedbuild import SEED_DIR, SeedError, build_document


@pytest.fixture(scope="module")
def seed() -> Document:
    return store.load(SEED)


def test_built_seed_is_up_to_date_with_its_source_files(seed: Document) -> None:
    """Fails when data/seed/ was edited without running `make seed`."""
    fresh = build_document()
    for name in tables.TABLE_NAMES:
        built = fresh.table(name).sort_values("id").reset_index(drop=True)
        shipped = seed.table(name).sort_values("id").reset_index(drop=True)
        pd.testing.assert_frame_equal(built, shipped, obj=f"seed table {name}")
    for key, value in fresh.meta.items():
        assert seed.meta.get(key) == value, f"meta {key} is out of date"


def test_builder_reports_broken_references(tmp_path: Path) -> None:
    broken = tmp_path / "seed"
    shutil.copytree(SEED_DIR, broken)
    events = (broken / "events.csv").read_text(encoding="utf-8")
    (broken / "events.csv").write_text(
        events.replace(",mupyong-ri,", ",atlantis,", 1), encoding="utf-8"
    )
    with pytest.raises(SeedError, match="unknown place 'atlantis'"):
        build_document(broken)


def test_builder_writes_a_current_seed_with_annotation_sources(tmp_path: Path) -> None:
    """An annotation may list its sources; they must exist. The seed has no history yet."""
    from workstation.seedbuild import write_seed
    from workstation.store.schema import SCHEMA_VERSION

    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    notes = (folder / "annotations.toml").read_text(encoding="utf-8")
    extra = (
        '\n[[annotation]]\nid = "ZZ"\ntargets = ["project"]\nsources = ["article:¶4", "S1"]\n'
        'created_utc = "2022-02-01T00:00:00Z"\nbody = "A cited note."\n'
    )
    (folder / "annotations.toml").write_text(notes + extra, encoding="utf-8")
    target = tmp_path / "seed.wsproj"
    write_seed(build_document(folder), target)
    built = store.load(target)
    assert built.file_schema_version == SCHEMA_VERSION
    assert not built.is_modified
    assert built.table("annotation_versions").empty
    assert [str(ref) for ref in built.annotation("ZZ").sources] == ["article:¶4", "S1"]
    (folder / "annotations.toml").write_text(
        notes + extra.replace('"S1"]', '"nowhere"]'), encoding="utf-8"
    )
    with pytest.raises(SeedError, match="annotation ZZ: unknown source 'nowhere'"):
        build_document(folder)


def january_launches(seed: Document) -> pd.DataFrame:
    events = seed.events
    launches = events[events["category"] == "missile test"].copy()
    launches["local_date"] = local_dates(launches["start_utc"], launches["timezone"])
    return launches[launches["local_date"].map(lambda d: (d.year, d.month) == (2022, 1))]


def test_seven_launch_days_in_korean_local_dates(seed: Document) -> None:
    launches = january_launches(seed)
    days = sorted({d.day for d in launches["local_date"]})
    assert days == [5, 11, 14, 17, 25, 27, 30]
    assert int(launches["missile_count"].sum()) == 11


def test_counting_on_utc_dates_would_be_wrong(seed: Document) -> None:
    """The 5 January launch (08:10 KST) was on 4 January in UTC."""
    a05 = seed.event("A05")
    assert a05.start_utc.isoformat() == "2022-01-04T23:10:00+00:00"
    assert a05.local_date.isoformat() == "2022-01-05"
    launches = january_launches(seed)
    utc_days = sorted({d.day for d in launches["start_utc"].dt.date})
    assert utc_days != [5, 11, 14, 17, 25, 27, 30]


def test_every_dated_event_of_the_article_is_there(seed: Document) -> None:
    local = {
        row["id"]: d.isoformat()
        for row, d in zip(
            seed.events.to_dict("records"),
            local_dates(seed.events["start_utc"], seed.events["timezone"]),
            strict=True,
        )
    }
    expected = {
        "A01": "2017-11-29",
        "A02": "2018-04-20",
        "A04a": "2021-09-11",
        "A04b": "2021-09-12",
        "A04c": "2021-09-15",
        "A04d": "2021-09-28",
        "A04e": "2021-09-30",
        "A06": "2022-01-06",
        "A07": "2022-01-07",
        "A09": "2022-01-12",
        "A12": "2022-01-16",
        "A14": "2022-01-18",
        "A15": "2022-01-19",
        "A16": "2022-01-20",
        "A20": "2022-02-16",
        "A21": "2022-04-15",
    }
    for event_id, day in expected.items():
        assert local[event_id] == day, event_id
    for anniversary in ("A20", "A21"):
        assert "reference" in seed.event(anniversary).tags


def test_every_event_cites_the_article_by_paragraph_or_a_source(seed: Document) -> None:
    source_ids = set(seed.table("sources")["id"])
    for event in (seed.event(i) for i in seed.events["id"]):
        assert event.sources, event.id
        for ref in event.sources:
            assert ref.source_id in source_ids
            if ref.source_id == "article":
                assert ref.locator.startswith("¶")
                assert 1 <= int(ref.locator[1:]) <= 16


def test_places_have_coordinates(seed: Document) -> None:
    a11 = seed.event("A11")
    assert a11.place
    assert a11.latitude == pytest.approx(40.0258)


def claims(seed: Document, event_id: str, claimant: str | None = None) -> set[str]:
    table = seed.table("measurements")
    rows = table[
        (table["subject_id"] == event_id) & ((table["claimant"] == claimant) if claimant else True)
    ]
    return {
        f"{r['parameter']} {Measurement.from_row(r).text()} ({r['claimant']}, "
        f"{r['source_id']}{':' + r['locator'] if r['locator'] else ''})"
        for r in rows.to_dict("records")
    }


def test_article_claims_keep_their_exact_qualifiers(seed: Document) -> None:
    assert {
        "max_speed 6 Mach (ROK MND, article:¶4)",
        "apogee < 50 km (ROK MND, article:¶4)",
        "range < 700 km (ROK MND, article:¶4)",
    } <= claims(seed, "A05")
    assert {
        "range > 700 km (ROK MND, article:¶4)",
        "apogee ≈ 60 km (ROK MND, article:¶4)",
        "max_speed ≈ 10 Mach (ROK MND, article:¶4)",
    } <= claims(seed, "A08")


def test_counter_claims_and_references_have_their_own_claimants(seed: Document) -> None:
    kcna_5 = claims(seed, "A05", "KCNA")
    kcna_11 = claims(seed, "A08", "KCNA")
    assert any(c.startswith("range 700 km (KCNA") for c in kcna_5)
    assert any(c.startswith("range 1,000 km (KCNA") for c in kcna_11)
    assert any(c.startswith("range > 700 km (ROK JCS, S1") for c in claims(seed, "A08"))
    grades = seed.table("measurements")[["reliability", "credibility"]]
    assert grades["reliability"].isin(list("ABCDEF")).all()
    assert grades["credibility"].between(1, 6).all()


def test_systems_and_aliases(seed: Document) -> None:
    aliases = seed.aliases()
    for name in ("Hwasong-11A", "Hwasong-11Ga", "rail-mobile KN-23"):
        assert aliases.resolve(name) == "KN-23"
    assert aliases.resolve("KN-17") == "Hwasong-12"
    assert seed.system("Hwasong-12").missile_class == "IRBM"


def test_launch_platforms_only_where_the_facts_state_them(seed: Document) -> None:
    """KN-23 was fired from a railway launcher on 15 Sep 2021 and 14 Jan 2022 (A04c, A11);
    the facts name no launch platform for the other systems."""
    assert seed.system("KN-23").launch_platform == "railway launcher (15 Sep 2021, 14 Jan 2022)"
    for event_id in ("A04c", "A11"):
        event = seed.event(event_id)
        assert "KN-23" in event.systems
        assert "railway launcher" in event.summary
    stated = seed.table("systems").set_index("id")["launch_platform"]
    assert stated[stated != ""].index.tolist() == ["KN-23"]


@pytest.mark.parametrize("name", ["sources", "places", "systems", "measurements"])
def test_seed_csv_headers_are_the_table_columns_as_documented(name: str) -> None:
    """The builder fills a missing column with blanks, so a dropped column must fail here."""
    header = (SEED_DIR / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == tables.column_names(name)
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert f"| `{name}.csv` | `{header}` |" in readme


def test_inconsistencies_are_annotations_on_their_events(seed: Document) -> None:
    notes = seed.table("annotations")
    targets = {t for cell in notes["targets"] for t in lists.split(cell)}
    for event_id in ("A02", "A19", "A08", "A06", "A09", "A16", "A17"):
        assert f"event:{event_id}" in targets, event_id
    june = notes[notes["body"].str.contains("June 2018")]
    assert len(june) >= 1
    assert "event:A02" in june.iloc[0]["targets"]


def test_seed_summaries_are_not_the_articles_sentences(seed: Document) -> None:
    article = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"
    if not article.exists():
        pytest.skip("../shared is not beside the repository")
    text = " ".join(article.read_text(encoding="utf-8").split())
    words = text.split()
    runs = {" ".join(words[i : i + 10]) for i in range(len(words) - 9)}
    for cell in pd.concat([seed.events["summary"], seed.table("annotations")["body"]]):
        flat = " ".join(str(cell).split())
        cell_words = flat.split()
        for i in range(len(cell_words) - 9):
            assert " ".join(cell_words[i : i + 10]) not in runs, flat[:80]
