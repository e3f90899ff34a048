"""The missile comparison dock, offscreen: built alone, the headline case, units, the
disagreement flag, the chart's honest geometry, the linked scatter and claim editing."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from workstation.model.document import Document
from workstation.model.workspace import Workspace
from workstation.ui.comparison import ComparisonDock
from workstation.ui.comparison.charts import BAND_HALF_WIDTH
from workstation.ui.comparison.claim_dialog import ClaimDialog
from workstation.ui.event_table_dock import EventTableDock

FIFTH, ELEVENTH = "event:A05", "event:A08"


@pytest.fixture
def workspace(seed_document: Document) -> Workspace:
    return Workspace(seed_document)


@pytest.fixture
def dock(qtbot: QtBot, workspace: Workspace) -> ComparisonDock:
    widget = ComparisonDock(workspace)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    return widget


def test_dock_is_built_from_a_workspace_alone(dock: ComparisonDock) -> None:
    assert dock.objectName() == "comparisonDock"
    assert dock.parent() is None
    assert [s.key for s in dock.subjects] == [FIFTH, ELEVENTH]  # the seed's headline case
    assert dock.table.columnCount() == 2
    rows = [dock.table.verticalHeaderItem(r).text() for r in range(dock.table.rowCount())]
    assert rows == [
        "Range",
        "Apogee",
        "Max speed",
        "Flight time",
        "Class",
        "Propulsion",
        "Launch platform",
        "Status",
    ]


def test_headline_case_reads_side_by_side(dock: ComparisonDock) -> None:
    speed_5, speed_11 = (dock.cell_text("max_speed", s) for s in (FIFTH, ELEVENTH))
    assert speed_5.startswith("Mach 6 — ROK MND")
    assert "≈ Mach 10 — ROK MND (article ¶4) B2" in speed_11
    apogee_5, apogee_11 = (dock.cell_text("apogee", s) for s in (FIFTH, ELEVENTH))
    assert apogee_5.startswith("< 50 km — ROK MND (article ¶4; S2) B2")
    assert "≈ 60 km — ROK MND (article ¶4) B2" in apogee_11
    range_5, range_11 = (dock.cell_text("range", s) for s in (FIFTH, ELEVENTH))
    assert "< 700 km — ROK MND (article ¶4; S2) B2" in range_5
    assert "> 700 km — ROK MND (article ¶4) B2" in range_11
    assert "700 km — KCNA (S3) D4" in range_5
    assert "1,000 km — KCNA (S4) D3" in range_11
    assert "> 700 km — ROK JCS (S1) B2" in range_11  # the cross-check's reference value
    assert dock.cell_text("class", FIFTH) == "MaRV"


def test_disagreement_is_flagged_with_the_reason(dock: ComparisonDock) -> None:
    text = dock.cell_text("range", FIFTH)
    assert text.startswith("⚠ 2 disagreements")
    tip = dock.cell_tooltip("range", FIFTH)
    assert "conflict at the bound" in tip
    assert "KCNA" in tip
    assert not dock.cell_text("range", ELEVENTH).startswith("⚠")  # 1,000 km is > 700 km
    assert "consistent" in dock.cell_tooltip("range", ELEVENTH)


def test_units_convert_for_display_only(dock: ComparisonDock, workspace: Workspace) -> None:
    dock.length_unit.setCurrentText("mi")
    assert "< 435 mi — ROK MND" in dock.cell_text("range", FIFTH)
    assert "< 31.1 mi — ROK MND" in dock.cell_text("apogee", FIFTH)
    dock.length_unit.setCurrentText("nmi")
    assert "< 378 nmi" in dock.cell_text("range", FIFTH)
    dock.speed_unit.setCurrentText("km/h")
    assert dock.cell_text("max_speed", FIFTH).startswith("7,350 km/h")
    dock.speed_unit.setCurrentText("km/s")
    assert dock.cell_text("max_speed", FIFTH).startswith("2.04 km/s")
    assert workspace.document.measurement("M007").value == 700  # stored values never change
    assert workspace.document.measurement("M007").unit == "km"
    assert workspace.stack.is_clean


def test_headline_order_by_claimant(dock: ComparisonDock) -> None:
    dock.ask_claimant_order = lambda names: ["KCNA", *[n for n in names if n != "KCNA"]]  # type: ignore[method-assign]
    dock.order_combo.setCurrentIndex(1)
    dock.order_combo.activated.emit(1)
    assert dock.order_by == "claimant"
    lines = dock.cell_text("range", ELEVENTH).splitlines()
    assert lines[0].startswith("1,000 km — KCNA")
    dock.set_order("grade")
    assert dock.cell_text("range", ELEVENTH).splitlines()[0].startswith("> 700 km")


def test_subjects_are_chosen_saved_and_undoable(dock: ComparisonDock, workspace: Workspace) -> None:
    dock.ask_subjects = lambda candidates, current: ["system:KN-23", "event:A11", "event:A18"]  # type: ignore[method-assign]
    dock.choose_subjects()
    assert [s.key for s in dock.subjects] == ["system:KN-23", "event:A11", "event:A18"]
    assert dock.cell_text("class", "event:A18") == "SRBM"
    assert "690 km — ROK JCS" in dock.cell_text("range", "system:KN-23")  # reference value
    assert workspace.stack.undo_label.startswith("Compare KN-23")
    workspace.stack.undo()
    assert [s.key for s in dock.subjects] == [FIFTH, ELEVENTH]
    workspace.selection.set(["A13", "A11", "A02"])
    dock.subjects_from_selection()
    assert [s.key for s in dock.subjects] == ["event:A02", "event:A11", "event:A13"][
        -len(dock.subjects) :
    ]
    with pytest.raises(ValueError, match="2 to 6"):
        dock.set_subjects(["event:A05"])


def test_chart_draws_an_upper_bound_open_below_the_bound(dock: ComparisonDock) -> None:
    assert dock.chart.drawn == []  # drawn when its tab is shown, not behind it
    dock.tabs.setCurrentIndex(1)
    assert dock.chart.drawn
    dock.chart_parameter.setCurrentIndex(1)  # apogee
    chart = dock.chart
    [(_, index, x, glyph)] = [d for d in chart.drawn if "M006" in d[0].ids]
    assert (index, glyph.kind, glyph.value, glyph.high) == (0, "upper", 50, 50)
    # the claimant's marker sits at the bound
    mx, my = chart.markers.getData()
    assert any(np.isclose(mx, x) & np.isclose(my, 50))
    # a stem goes down from the bound to an arrow pointing down, with no cap at its end
    sx, sy = chart.stems.getData()
    pairs = list(
        zip(zip(sx[::2], sy[::2], strict=True), zip(sx[1::2], sy[1::2], strict=True), strict=True)
    )
    assert ((x, glyph.low), (x, 50.0)) in [((a[0], a[1]), (b[0], b[1])) for a, b in pairs]
    assert glyph.low < 50
    arrows = chart.arrows.data
    down = [(p["x"], p["y"]) for p in arrows if p["symbol"] == "t"]
    assert (x, glyph.low) in down
    cx, _ = chart.caps.getData()
    assert not any(np.isclose(cx, x))
    # and never a bar from zero up to the bound
    bands = chart.bands.opts
    for y0, height in zip(bands.get("y0") or [], bands.get("height") or [], strict=False):
        assert not (y0 == 0 and np.isclose(height, 50))
    # an approximation is a marker with a band around it
    [(_, _, ax, approx)] = [d for d in chart.drawn if "M015" in d[0].ids]
    assert approx.kind == "approximate"
    assert any(np.isclose(x0, ax - BAND_HALF_WIDTH) for x0 in chart.bands.opts["x0"])
    labels = [label.text for _, label in chart.legend.items]
    assert "ROK MND" in labels
    assert "▼ upper bound (open below)" in labels


def test_chart_lower_bound_points_up(dock: ComparisonDock) -> None:
    dock.tabs.setCurrentIndex(1)
    dock.chart_parameter.setCurrentIndex(0)  # range
    [(_, index, x, glyph)] = [d for d in dock.chart.drawn if "M017" in d[0].ids]
    assert (index, glyph.kind, glyph.value, glyph.open_end) == (1, "lower", 700, "up")
    up = [(p["x"], p["y"]) for p in dock.chart.arrows.data if p["symbol"] == "t1"]
    assert (x, glyph.high) in up


def test_scatter_selection_reaches_the_table(
    qtbot: QtBot, workspace: Workspace, dock: ComparisonDock
) -> None:
    table = EventTableDock(workspace)
    qtbot.addWidget(table)
    table.show()
    dock.tabs.setCurrentIndex(2)
    scatter = dock.scatter
    index = [t.event_id for t in scatter.tests].index("A11")
    x, y = scatter.xy[index]
    dock._scatter_clicked(scatter.to_view(x, y), Qt.KeyboardModifier.NoModifier)
    assert workspace.selection.ids == {"A11"}
    rows = table.view.selectionModel().selectedRows()
    assert [table.model.event_id(r.row()) for r in rows] == ["A11"]
    # a rectangle around the two 700 km MaRV tests selects both
    low, high = scatter.to_view(650, 40), scatter.to_view(750, 70)
    from PySide6.QtCore import QRectF

    scatter.view_box.rect_selected.emit(
        QRectF(low, high).normalized(), Qt.KeyboardModifier.NoModifier
    )
    assert workspace.selection.ids == {"A05", "A08"}
    # and selection from elsewhere rings the dots
    workspace.selection.set(["A19"])
    assert len(scatter.rings.getData()[0]) == 1
    dock.log_axes.setChecked(False)
    assert scatter.nearest(scatter.to_view(*scatter.xy[index])) == "A11"


def test_distance_lines_are_computed_and_labelled(
    dock: ComparisonDock, workspace: Workspace
) -> None:
    lines = dock.distance_lines()
    assert len(lines) == 1
    dock.tabs.setCurrentIndex(2)
    km, label = lines[0]
    assert 3350 < km < 3450
    assert label.startswith("Pyongyang–Guam 3,")
    assert "(computed, great circle)" in label
    dock.ask_distance = lambda: {"km": 1000, "label": "1,000 km claim"}  # type: ignore[method-assign]
    dock.add_distance_line()
    assert len(dock.scatter.lines) == 2
    workspace.stack.undo()
    assert len(dock.scatter.lines) == 1


def fill(dialog: ClaimDialog, **fields: str) -> None:
    for name, value in fields.items():
        widget = getattr(dialog, name)
        if hasattr(widget, "setCurrentText"):
            index = widget.findData(value) if name in ("qualifier", "reliability") else -1
            if index >= 0:
                widget.setCurrentIndex(index)
            else:
                widget.setCurrentText(value)
        else:
            widget.setText(value)


def test_claims_are_added_edited_and_deleted_as_undoable_commands(
    dock: ComparisonDock, workspace: Workspace
) -> None:
    dock.select_cell("apogee", FIFTH)
    assert dock.claims_list.rowCount() == 1

    def add(dialog: ClaimDialog) -> bool:
        fill(
            dialog,
            qualifier="approximate",
            value="45",
            claimant="Japan MoD",
            source="CNS",
            reliability="B",
        )
        dialog.accept()
        return True

    dock.run_claim_dialog = add  # type: ignore[method-assign]
    dock.add_claim()
    assert "≈ 45 km — Japan MoD (CNS) B6" in dock.cell_text("apogee", FIFTH)
    assert workspace.stack.undo_label.startswith("Add apogee claim")
    assert dock.claims_list.rowCount() == 2
    workspace.stack.undo()
    assert "Japan MoD" not in dock.cell_text("apogee", FIFTH)

    def edit(dialog: ClaimDialog) -> bool:
        assert dialog.value.text() == "50"
        fill(dialog, value="48")
        dialog.accept()
        return True

    dock.claims_list.selectRow(0)
    dock.run_claim_dialog = edit  # type: ignore[method-assign]
    dock.edit_claim()
    assert dock.cell_text("apogee", FIFTH).startswith("< 48 km")
    workspace.stack.undo()
    assert dock.cell_text("apogee", FIFTH).startswith("< 50 km")
    dock.claims_list.selectRow(0)
    dock.delete_claim()
    assert dock.cell_text("apogee", FIFTH) == "—"
    workspace.stack.undo()
    assert dock.cell_text("apogee", FIFTH).startswith("< 50 km")


def test_a_bad_claim_shows_one_line_and_changes_nothing(
    dock: ComparisonDock, workspace: Workspace
) -> None:
    dock.select_cell("range", FIFTH)
    dialog = ClaimDialog(workspace, dock.subjects[0], parameter="range")
    fill(dialog, value="far")
    dialog.accept()
    assert dialog.error.text() == "the value is not a number: 'far'"
    fill(dialog, qualifier="between", lower="90", upper="25")
    dialog.accept()
    assert "lower <= upper" in dialog.error.text()
    assert workspace.stack.is_clean
    dialog.close()


def test_window_has_the_comparison_dock(qtbot: QtBot, seed_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from workstation.app import create_main_window

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(seed_copy, settings=settings)
    qtbot.addWidget(window)
    window.files.ask_unsaved = lambda: "discard"  # type: ignore[method-assign]
    assert window.docks["comparisonDock"] is window.comparison_dock
    assert window.comparison_dock is not None
    assert window.comparison_dock.workspace is window.workspace
    assert QPointF is not None


# -- found on a second read -----------------------------------------------------------------
def test_the_form_offers_only_units_of_the_parameter(
    dock: ComparisonDock, workspace: Workspace
) -> None:
    dialog = ClaimDialog(workspace, dock.subjects[0], parameter="flight_time")
    units = [dialog.unit.itemText(i) for i in range(dialog.unit.count())]
    assert units == ["h", "min", "s"]
    assert dialog.unit.currentText() == "min"
    assert not dialog.parameter.isEditable()
    fill(dialog, value="1,5")
    dialog.accept()
    assert dialog.error.text() == "write the value with a decimal point: '1,5'"
    fill(dialog, value="-3")
    dialog.accept()
    assert dialog.error.text() == "the value must be a positive number"
    fill(dialog, value="7")
    dialog.accept()
    assert "7 min" in dock.cell_text("flight_time", FIFTH)
    dialog.close()


def test_editing_keeps_every_digit_and_edits_merged_sources_together(
    dock: ComparisonDock, workspace: Workspace
) -> None:
    dock.select_cell("apogee", FIFTH)  # "< 50 km" from the article and from S2: one line

    def edit(dialog: ClaimDialog) -> bool:
        fill(dialog, value="45")
        dialog.accept()
        return True

    dock.run_claim_dialog = edit  # type: ignore[method-assign]
    dock.claims_list.selectRow(0)
    dock.edit_claim()
    assert dock.cell_text("apogee", FIFTH).startswith("< 45 km — ROK MND (article ¶4; S2)")
    assert workspace.document.measurement("M009").source_id == "S2"  # its own source kept
    workspace.stack.undo()
    assert workspace.document.measurement("M009").value == 50
    from workstation.ui.comparison.claim_dialog import _exact

    assert [_exact(v) for v in (1234567.0, 0.1, 700.0)] == ["1234567", "0.1", "700"]


def test_a_compared_event_deleted_and_restored_comes_back(
    dock: ComparisonDock, workspace: Workspace
) -> None:
    from workstation.model.commands import DeleteRows

    workspace.stack.push(DeleteRows("events", ["A08"]))
    assert ELEVENTH not in [s.key for s in dock.subjects]
    workspace.stack.undo()
    assert [s.key for s in dock.subjects] == [FIFTH, ELEVENTH]


def test_chart_stems_stay_positive_and_in_view(dock: ComparisonDock) -> None:
    dock.tabs.setCurrentIndex(1)
    dock.chart_parameter.setCurrentIndex(0)  # range: "< 700", "> 700", 1,000
    (_, _), (y0, y1) = dock.chart.plot.viewRange()
    for *_, glyph in dock.chart.drawn:
        assert glyph.low >= 0
        assert y0 <= glyph.low
        assert glyph.high <= y1


def test_scatter_rings_follow_a_selection_made_while_hidden(
    dock: ComparisonDock, workspace: Workspace
) -> None:
    dock.tabs.setCurrentIndex(2)
    workspace.selection.set(["A11"])
    dock.tabs.setCurrentIndex(0)
    workspace.selection.set(["A11", "A13", "A18"])
    dock.tabs.setCurrentIndex(2)
    assert len(dock.scatter.rings.getData()[0]) == 3


def test_junk_distance_settings_are_skipped(dock: ComparisonDock, workspace: Workspace) -> None:
    workspace.document.set_meta(
        "comparison:distances", '[{"km": "inf"}, {"km": 1e300}, {"km": 1e-200}, {"km": 500}, 3]'
    )
    assert [round(km) for km, _ in dock.distance_lines()] == [500]
    workspace.document.set_meta("comparison:distances", "[" * 100_000)
    assert dock.distance_lines() == []
