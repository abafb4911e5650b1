"""The About dialog: version, and the licences of the code, the model and the content."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

import tutor
from tutor.core.i18n import _, isolate
from tutor.core.llm.catalog import ModelEntry


def about_text(model: ModelEntry | None) -> str:
    name = _("Offline clinical tutor")
    parts = [
        f"<h3>{escape(name)} {escape(tutor.__version__)}</h3>",
        "<p>"
        + escape(
            _("Practise on virtual patients with a language model that runs on this computer.")
        )
        + "</p>",
        "<p>" + escape(_("Program licence: {licence}").format(licence="MIT")) + "</p>",
    ]
    if model is not None:
        parts.append(
            "<p>"
            + escape(
                _("Model: {name}, licence {licence}").format(
                    name=isolate(model.name), licence=isolate(model.licence)
                )
            )
            + "</p>"
        )
    parts.append(
        "<p>"
        + escape(
            _(
                "Case content: each case shows its own licence and sources. Cases marked draft "
                "have not yet been reviewed by a clinician."
            )
        )
        + "</p>"
    )
    return "".join(parts)


def show_about(parent: QWidget, model: ModelEntry | None) -> None:
    QMessageBox.about(parent, _("About the tutor"), about_text(model))
