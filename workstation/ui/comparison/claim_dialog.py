"""The claim form: add or edit one measurement (parameter, qualifier, values, unit, claimant,
source, locator, grade) as one undoable command.

The form validates through :class:`~workstation.model.measurements.Measurement` itself, so it
accepts exactly what the model accepts; a bad entry shows one line under the fields and
changes nothing.
"""

from __future__ import annotations

import math
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
from workstation.model.comparison import CLAIM_PARAMETERS, Subject, claimants
from workstation.model.grading import CREDIBILITY, RELIABILITY
from workstation.model.measurements import Measurement, Qualifier
from workstation.model.units import UNITS
from workstation.model.workspace import Workspace

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
        self.parameter = QComboBox(self)
        self.parameter.setEditable(True)
        self.parameter.addItems(list(CLAIM_PARAMETERS))
        self.qualifier = QComboBox(self)
        for qualifier, text in QUALIFIER_TEXT.items():
            self.qualifier.addItem(text, qualifier.value)
        self.value = QLineEdit(self)
        self.lower = QLineEdit(self)
        self.upper = QLineEdit(self)
        self.unit = QComboBox(self)
        self.unit.addItems(sorted(UNITS))
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
        if measurement is not None:
            self._show(measurement)
        else:
            self.parameter.setCurrentText(parameter)
            self.unit.setCurrentText("Mach" if parameter == "max_speed" else "km")
        self._enable_values()

    def _show(self, m: Measurement) -> None:
        self.parameter.setCurrentText(m.parameter)
        self.qualifier.setCurrentIndex(list(QUALIFIER_TEXT).index(m.qualifier))
        for box, value in ((self.value, m.value), (self.lower, m.lower), (self.upper, m.upper)):
            box.setText("" if value is None else f"{value:g}")
        self.unit.setCurrentText(m.unit)
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
            text = box.text().strip().replace(",", "")
            if not wanted or not text:
                return None
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"the {name} is not a number: {text!r}") from None
            if not math.isfinite(value):
                raise ValueError(f"the {name} must be a finite number")
            return value

        measurement_id = self.original.id if self.original else self._new_id()
        return Measurement(
            id=measurement_id,
            subject_type=self.subject.kind,
            subject_id=self.subject.id,
            parameter=self.parameter.currentText().strip(),
            qualifier=Qualifier(self.qualifier.currentData()),
            value=number(self.value, "value", not between),
            lower=number(self.lower, "lower bound", between),
            upper=number(self.upper, "upper bound", between),
            unit=self.unit.currentText(),
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
        save_claim(self.workspace, measurement, is_new=self.original is None)
        super().accept()


def save_claim(workspace: Workspace, measurement: Measurement, is_new: bool) -> None:
    row: dict[str, Any] = measurement.to_row()
    frame = tables.from_records("measurements", [row])
    what = f"{measurement.parameter} claim {measurement.id}"
    label = f"Add {what}" if is_new else f"Edit {what}"
    workspace.stack.push(UpsertRows("measurements", frame, label))


def delete_claims(workspace: Workspace, ids: list[str]) -> None:
    if ids:
        label = f"Delete claim {ids[0]}" if len(ids) == 1 else f"Delete {len(ids)} claims"
        workspace.stack.push(DeleteRows("measurements", ids, label))
