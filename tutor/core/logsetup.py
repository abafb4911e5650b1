"""Logging to a rotating file in the data dir, so a user can send us what went wrong."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from tutor.core import paths

LOG_NAME = "tutor.log"


def log_file() -> Path:
    return paths.logs_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the ``tutor`` loggers to ``<data>/logs/tutor.log`` (1 MB × 5 files). Idempotent."""
    path = log_file()
    root = logging.getLogger("tutor")
    root.setLevel(level)
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    return path
