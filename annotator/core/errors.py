"""Errors the core raises. Each carries a message a researcher can read as it is.

Only ``cli`` turns these into exit codes and only ``gui/errors.py`` into dialogs.
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base of every error the core raises on purpose; ``str(err)`` is the user-facing text."""


class NotFound(AnnotatorError):
    """A document, tag, highlight or note id that does not exist (any more)."""


class InvalidInput(AnnotatorError):
    """Arguments that break an invariant: empty span, offsets outside the text, bad date…"""


class DuplicateDocument(AnnotatorError):
    """The normalised text is already in the project."""

    def __init__(self, existing_id: int, title: str = "") -> None:
        super().__init__(f"duplicate of {existing_id}")
        self.existing_id = existing_id
        self.title = title


class ImportFailed(AnnotatorError):
    """A file could not be turned into a document; the message names the problem."""


class PasswordRequired(ImportFailed):
    """An encrypted PDF whose password was not given or was wrong."""


class ProjectError(AnnotatorError):
    """The project folder is missing, broken, or not a project."""


class ProjectLocked(ProjectError):
    """Another process has the project open for writing."""

    def __init__(self, pid: int | None) -> None:
        who = f"pid {pid}" if pid else "unknown pid"
        super().__init__(f"project is open in another window ({who})")
        self.pid = pid


class ReadOnlyProject(ProjectError):
    """A write was attempted on a project opened read-only."""


class InvalidQuery(AnnotatorError):
    """A search query that could not be parsed; the message says where and why."""


class Cancelled(AnnotatorError):
    """A long job stopped because the user asked it to."""


class StorageFailed(ProjectError):
    """The disk refused a write (full, read-only, I/O error); nothing of that change was saved."""


class ProjectDamaged(ProjectError):
    """The database holds data that cannot be read back (damaged bytes, a bad date)."""


class ProjectReplaced(ProjectError):
    """The database file (or its write-ahead log) was removed or replaced under the open
    project; writing on would confirm changes that are already lost."""


class EditConflict(AnnotatorError):
    """Another coder changed or removed what this edit was based on first (a team project);
    nothing of this edit was saved. The message says who and when; ``refresh`` is what the
    views must read again to show the other coder's version."""

    def __init__(self, message: str, *, coder: str = "", refresh: object = None) -> None:
        super().__init__(message)
        self.coder = coder
        self.refresh = refresh  # the ``Changes`` published with the refusal (core.changes)


class RemovedMeanwhile(EditConflict, NotFound):
    """The highlight or tag an edit named was deleted (or merged away) by another coder."""


class ServerUnreachable(ProjectError):
    """The team project's database server cannot be reached; nothing of the change was saved."""
