"""The claim form: add or edit one measurement (parameter, qualifier, values, unit, claimant,
source, locator, grade) as one undoable command.

The form validates through :class:`~workstation.model.measurements.Measurement` itself, so it
accepts exactly what the model accepts; a bad entry shows one line under the fields and
changes nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.model import tables
from workstation.model.commands import DeleteRows, UpsertRows
from workstation.model.comparison import (
    CLAIM_PARAMETERS,
    PARAMETER_DIMENSION,
    PARAMETER_LABELS,
    Subject,
    claimants,
    unit_for,
)
from workstation.model.grading import CREDIBILITY, RELIABILITY
from workstation.model.measurements import Measurement, Qualifier
from workstation.model.units import UNITS, dimension
from workstation.model.workspace import Workspace

THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # "1,000" or "3,404.4"
QUALIFIER_TEXT = {
    Qualifier.EXACT: "exactly",
    Qualifier.APPROXIMATE: "about (≈)",
    Qualifier.LESS_THAN: "less than (<)",
    Qualifier.AT_MOST: "at most (≤)",
    Qualifier.GREATER_THAN: "more than (>)",
    Qualifier.BETWEEN: "between (lower–upper)",
}


class ClaimDialog(QDialog):
    """``ClaimDialog(workspace, subject, measurement=None)``: a new claim about ``subject``,
    or an edit of ``measurement``."""

    def __init__(
        self,
        workspace: Workspace,
        subject: Subject,
        measurement: Measurement | None = None,
        parameter: str = "range",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.subject = subject
        self.original = measurement
        self.setWindowTitle(f"{'Edit' if measurement else 'Add'} Claim · {subject.label}")
        document = workspace.document
        # The rows of the comparison, and only those (plus an older claim's own parameter):
        # a typed "Range" would be saved and then appear in no row.
        self.parameter = QComboBox(self)
        for name in CLAIM_PARAMETERS:
            self.parameter.addItem(PARAMETER_LABELS[name], name)
        if measurement is not None and measurement.parameter not in CLAIM_PARAMETERS:
            self.parameter.addItem(measurement.parameter, measurement.parameter)
        self.qualifier = QComboBox(self)
        for qualifier, text in QUALIFIER_TEXT.items():
            self.qualifier.addItem(text, qualifier.value)
        self.value = QLineEdit(self)
        self.lower = QLineEdit(self)
        self.upper = QLineEdit(self)
        self.unit = QComboBox(self)  # filled with the parameter's units (_units_for)
        self.claimant = QComboBox(self)
        self.claimant.setEditable(True)
        self.claimant.addItems(claimants(document))
        self.source = QComboBox(self)
        self.source.setEditable(True)
        self.source.addItems([str(s) for s in document.table("sources")["id"]])
        self.locator = QLineEdit(self)
        self.locator.setPlaceholderText("¶4, p. 12, 00:03:10 …")
        self.reliability = QComboBox(self)
        self.reliability.addItem("not graded", "")
        for code, text in RELIABILITY.items():
            self.reliability.addItem(f"{code}: {text}", code)
        self.credibility = QComboBox(self)
        self.credibility.addItem("not graded", None)
        for number, text in CREDIBILITY.items():
            self.credibility.addItem(f"{number}: {text}", number)
        self.claimed_on = QLineEdit(self)
        self.claimed_on.setPlaceholderText("YYYY-MM-DD")
        self.note = QLineEdit(self)
        self.error = QLabel(self)
        self.error.setObjectName("claimError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form = QFormLayout()
        for label, widget in (
            ("Parameter", self.parameter),
            ("Qualifier", self.qualifier),
            ("Value", self.value),
            ("Lower", self.lower),
            ("Upper", self.upper),
            ("Unit", self.unit),
            ("Claimant", self.claimant),
            ("Source", self.source),
            ("Locator", self.locator),
            ("Reliability", self.reliability),
            ("Credibility", self.credibility),
            ("Claimed on", self.claimed_on),
            ("Note", self.note),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.qualifier.currentIndexChanged.connect(lambda _: self._enable_values())
        self.parameter.currentIndexChanged.connect(lambda _: self._units_for())
        #: Other measurements merged with this one (the same claim from other sources): an
        #: edit of the claim applies to them too, each keeping its own source and locator.
        self.siblings: list[str] = []
        if measurement is not None:
            self._show(measurement)
        else:
            self.parameter.setCurrentIndex(max(self.parameter.findData(parameter), 0))
            self._units_for()
        self._enable_values()

    def _units_for(self, keep: str = "") -> None:
        """Offer the units of the parameter's dimension, its usual one first."""
        name = str(self.parameter.currentData())
        wanted = PARAMETER_DIMENSION.get(name)
        units = [u for u in sorted(UNITS) if wanted is None or dimension(u) == wanted]
        usual = unit_for(name) if wanted is not None else ""
        current = keep or self.unit.currentText()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItems(units)
        choice = current if current in units else usual
        if choice in units:
            self.unit.setCurrentText(choice)
        self.unit.blockSignals(False)

    def _show(self, m: Measurement) -> None:
        self.parameter.setCurrentIndex(max(self.parameter.findData(m.parameter), 0))
        self.qualifier.setCurrentIndex(list(QUALIFIER_TEXT).index(m.qualifier))
        for box, value in ((self.value, m.value), (self.lower, m.lower), (self.upper, m.upper)):
            box.setText("" if value is None else _exact(value))
        self._units_for(keep=m.unit)
        self.claimant.setCurrentText(m.claimant)
        self.source.setCurrentText(m.source_id)
        self.locator.setText(m.locator)
        self.reliability.setCurrentIndex(max(self.reliability.findData(m.reliability), 0))
        self.credibility.setCurrentIndex(max(self.credibility.findData(m.credibility), 0))
        self.claimed_on.setText(m.claimed_on)
        self.note.setText(m.note)

    def _enable_values(self) -> None:
        between = self.qualifier.currentData() == Qualifier.BETWEEN.value
        self.value.setEnabled(not between)
        self.lower.setEnabled(between)
        self.upper.setEnabled(between)

    def measurement(self) -> Measurement:
        """The claim as entered; ``ValueError`` with a readable message when it is not valid."""
        between = self.qualifier.currentData() == Qualifier.BETWEEN.value

        def number(box: QLineEdit, name: str, wanted: bool) -> float | None:
            text = box.text().strip()
            if not wanted or not text:
                return None
            if "," in text:
                if not THOUSANDS.match(text):
                    raise ValueError(f"write the {name} with a decimal point: {text!r}")
                text = text.replace(",", "")
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"the {name} is not a number: {text!r}") from None
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"the {name} must be a positive number")
            return value

        parameter = str(self.parameter.currentData())
        unit = self.unit.currentText()
        wanted = PARAMETER_DIMENSION.get(parameter)
        if wanted is not None and (not unit or dimension(unit) != wanted):
            raise ValueError(f"{PARAMETER_LABELS[parameter].lower()} needs a {wanted} unit")

        measurement_id = self.original.id if self.original else self._new_id()
        return Measurement(
            id=measurement_id,
            subject_type=self.subject.kind,
            subject_id=self.subject.id,
            parameter=parameter,
            qualifier=Qualifier(self.qualifier.currentData()),
            value=number(self.value, "value", not between),
            lower=number(self.lower, "lower bound", between),
            upper=number(self.upper, "upper bound", between),
            unit=unit,
            claimant=self.claimant.currentText().strip(),
            source_id=self.source.currentText().strip(),
            locator=self.locator.text().strip(),
            reliability=str(self.reliability.currentData() or ""),
            credibility=self.credibility.currentData(),
            claimed_on=self.claimed_on.text().strip(),
            note=self.note.text().strip(),
        )

    def _new_id(self) -> str:
        existing = set(self.workspace.document.table("measurements")["id"])
        number = len(existing) + 1
        while f"M{number:03d}" in existing:
            number += 1
        return f"M{number:03d}"

    def accept(self) -> None:
        try:
            measurement = self.measurement()
        except ValueError as exc:
            self.error.setText(str(exc).split("\n")[0])
            self.error.show()
            return
        save_claim(
            self.workspace, measurement, self.original is None, self._sibling_edits(measurement)
        )
        super().accept()

    def _sibling_edits(self, edited: Measurement) -> list[Measurement]:
        document = self.workspace.document
        found = []
        for sibling_id in self.siblings:
            if document.has("measurements", sibling_id):
                own = document.measurement(sibling_id)
                found.append(
                    replace(edited, id=own.id, source_id=own.source_id, locator=own.locator)
                )
        return found


def save_claim(
    workspace: Workspace,
    measurement: Measurement,
    is_new: bool,
    siblings: Sequence[Measurement] = (),
) -> None:
    """One undoable step: the claim, and the same edit of its merged siblings."""
    rows: list[dict[str, Any]] = [m.to_row() for m in (measurement, *siblings)]
    frame = tables.from_records("measurements", rows)
    what = f"{measurement.parameter} claim {measurement.id}"
    label = f"Add {what}" if is_new else f"Edit {what}"
    workspace.stack.push(UpsertRows("measurements", frame, label))


def _exact(value: float) -> str:
    """A stored number as typed back: every digit kept ("1234567", "0.1"), no exponent."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def delete_claims(workspace: Workspace, ids: list[str]) -> None:
    if ids:
        label = f"Delete claim {ids[0]}" if len(ids) == 1 else f"Delete {len(ids)} claims"
        workspace.stack.push(DeleteRows("measurements", ids, label))
