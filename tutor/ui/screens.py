"""The main screens. Each is a QWidget with a ``retranslate()`` method; issues fill them in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tutor.core.i18n import _


class Screen(QWidget):
    """A screen with a heading and an explanation, retranslated on language change."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"screen-{key}")
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        self.retranslate()

    def title(self) -> str:
        return SCREEN_TITLES[self.key]()

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.body.setText(SCREEN_INTROS[self.key]())


SCREEN_TITLES = {
    "cases": lambda: _("Cases"),
    "practice": lambda: _("Practice"),
    "progress": lambda: _("Progress"),
    "settings": lambda: _("Settings"),
}

SCREEN_INTROS = {
    "cases": lambda: _("Browse and search the clinical cases installed on this computer."),
    "practice": lambda: _(
        "Interview a virtual patient, examine, order investigations, then commit to a diagnosis "
        "and a plan."
    ),
    "progress": lambda: _("Your attempts and scores, and when they last reached the school."),
    "settings": lambda: _("Language, model, content packs and the school server."),
}

SCREEN_KEYS = tuple(SCREEN_TITLES)
