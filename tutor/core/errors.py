"""The tutor's error types.

``KnownError`` is something the user can act on (a bad pack, a missing model, an unreachable
server): it is shown as one calm, translated sentence. ``BugError`` is our fault and is logged with
a traceback. ``Interrupted`` means the user cancelled and is shown to nobody.
"""

from __future__ import annotations


class TutorError(Exception):
    """Base class of every error the tutor raises on purpose."""


class KnownError(TutorError):
    """A problem the user can fix; ``str(error)`` is the translated message."""


class BugError(TutorError):
    """Something that should not happen; report it with the log file."""


class Interrupted(TutorError):
    """The user cancelled the operation."""
