"""``Screen``: the base of every main screen (a heading, retranslated on language change).

In its own module so screens defined in their own files (``practice_screen.py``) and the
registry in ``tutor.ui.registry`` can all import it without a cycle.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tutor.ui.context import UiContext


class Screen(QWidget):
    """Base class: a heading, retranslated on language change; subclasses add the content."""

    key = ""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName(f"screen-{self.key}")
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.heading)

    def title(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.heading.setText(self.title())
