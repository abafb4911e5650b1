"""What the widgets may use: the core facades, built once by ``tutor.app`` and passed down.

Widgets call these only through ``tutor.ui.tasks.run_task`` (anything that may block), never
SQLite or the model worker directly. Each issue adds its facade here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.core.content.library import Library
from tutor.core.llm.catalog import ModelEntry
from tutor.core.llm.client import ModelClient
from tutor.core.progress.store import ProgressStore

if TYPE_CHECKING:
    from tutor.ui.sync_status import SyncRunner
from tutor.core.practice.encounter import Practice


@dataclass
class UiContext:
    model: ModelEntry | None = None
    model_client: ModelClient | None = None
    progress_store: ProgressStore | None = None  # learners, progress, outbox (#7)
    sync_runner: SyncRunner | None = None  # SyncClient facade + background sync (#7)
    library: Library | None = None
    practice: Practice | None = None  # encounters (#5): start, resume, list cases
    learner_id: str = "default"  # the learner profile in use (#7 owns profiles)
