"""The Library facade: the one public read/write API over a project folder.

A project folder holds ``project.sqlite`` (the source of truth), ``index/`` (a Whoosh index
derived from it), ``sources/`` (a copy of every imported original) and ``project.lock``.
Every write is one database transaction followed by one index update, and publishes one
``Changes`` (``subscribe``, ``collect_changes``); callers get frozen models from
``annotator.core.models``, never ORM objects or sessions. Safe to call from the GUI thread and
one background job at once: writes are serialised by a lock.

The work is done by small services sharing one ``Store`` (``store.py``): ``Documents``,
``Highlights``, ``Codebook``, ``Search``, ``Excerpts``, ``Mentions``. None of them imports this
module; the Library only opens the project, composes them, and lends their methods its name.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from sqlalchemy import Engine

from annotator.core._db.postgres import login_role
from annotator.core._db.postgres_roles import READ_ONLY_MESSAGE
from annotator.core.adjudication import Adjudication
from annotator.core.analysis_service import AnalysisService
from annotator.core.bulk_import import write_bundle
from annotator.core.bundle import Bundle, BundleResult
from annotator.core.change_follower import ChangeFollower, RemoteChanges
from annotator.core.codebook import Codebook
from annotator.core.coder_identity import current_user
from annotator.core.coders import Coders
from annotator.core.document_listing import DocumentListing
from annotator.core.documents import Documents
from annotator.core.errors import ProjectError
from annotator.core.excerpts import Excerpts
from annotator.core.highlights import Highlights
from annotator.core.mentions import Mentions
from annotator.core.project_folder import (
    DB_NAME,
    INDEX_DIR,
    SOURCES_DIR,
    open_database,
    orphans_note,
    prepare_project,
    released_on_error,
)
from annotator.core.project_identity import project_uuid, store_new_identity
from annotator.core.project_lock import ProjectLock
from annotator.core.safety import Safety
from annotator.core.search import Search
from annotator.core.server_check import ServerCheck
from annotator.core.store import ChangeCollector, ChangeListener, Store
from annotator.core.team import TeamAddress, TeamSession, is_team_folder, open_session, read_team_file
from annotator.core.team_copy import CopySummary, copy_project
from annotator.core.team_setup import set_up_team

__all__ = ["DB_NAME", "INDEX_DIR", "SOURCES_DIR", "Library", "current_user"]

_Service = TypeVar("_Service")
_P = ParamSpec("_P")
_R = TypeVar("_R")


class _Via(Generic[_Service, _P, _R]):
    """``Library.x`` is ``library.<service>.x``, with the service method's own signature (for
    callers, mypy and the editor alike)."""

    def __init__(self, service: str, method: Callable[Concatenate[_Service, _P], _R]) -> None:
        self._service, self._name = service, method.__name__
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, library: None, owner: type) -> _Via[_Service, _P, _R]: ...
    @overload
    def __get__(self, library: Library, owner: type) -> Callable[_P, _R]: ...

    def __get__(self, library: Library | None, owner: type) -> Any:
        if library is None:
            return self
        method: Callable[_P, _R] = getattr(getattr(library, self._service), self._name)
        return method


class Library:
    """Open with ``Library.open(folder)`` or ``Library.create(folder)``; use as a context manager
    or call ``close()``."""

    def __init__(self, folder: Path, engine: Engine, *, readonly: bool, lock: ProjectLock | None,
                 user: str | None = None) -> None:
        self.folder = folder
        self.readonly = readonly
        self.user = current_user() if user is None else user
        self._lock = lock
        self._store = Store(folder, engine, readonly=readonly, user=self.user)
        # Set when the project lives on a PostgreSQL server (``core.team``).
        self.team: TeamSession | None = None
        self._codebook = Codebook(self._store)
        self._server = ServerCheck(self._store)
        self._highlights = Highlights(self._store)
        self._documents = Documents(self._store, self._highlights)
        self._listing = DocumentListing(self._store)
        self._excerpts = Excerpts(self._store)
        self._mentions = Mentions(self._store, self._codebook, self._excerpts)
        self._search = Search(self._store, self._codebook, self._documents)
        self._analysis = AnalysisService(self._store, self._documents, self._highlights,
                                         self._codebook, self._search)
        self._safety = Safety(self._store, self._documents, self._search)
        self._adjudication = Adjudication(self._store, self._highlights, self._safety)
        self._store.before_bulk = self._safety.backup_before_bulk
        self._coders = Coders(self._store, self._documents.counts)
        self._coders.reload_coder_settings()
        self._follower = ChangeFollower(self._store)
        # Files found in sources/ that no document lists, moved aside when this opened, and
        # the sentence telling the user so (None when there were none).
        self.orphaned_sources: list[Path] = []
        self.open_note: str | None = None
        # Said once per project location: the project sits in a sync client's folder.
        self.cloud_warning: str | None = None

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def create(cls, folder: Path | str) -> Library:
        """Create a project in ``folder`` (made if missing; must not already hold a project)."""
        folder = Path(folder).expanduser()
        if (folder / DB_NAME).exists():
            raise ProjectError(f"{folder} already holds a project")
        if folder.exists() and not folder.is_dir():
            raise ProjectError(f"{folder} is a file, not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        library = cls.open(folder, create=True)
        try:
            store_new_identity(library._store.engine)
        except BaseException:
            library.close()
            raise
        return library

    @classmethod
    def open(
        cls, folder: Path | str, *, readonly: bool = False, create: bool = False,
        lock_wait: float = 0.0, on_lock_wait: Callable[[int | None], None] | None = None,
    ) -> Library:
        """Open the project in ``folder``. Writers take the project lock, waiting up to
        ``lock_wait`` seconds for another writer (``on_lock_wait(pid)`` once after a second);
        then a second writer gets ``ProjectLocked``. Read-only opens (CLI listings while the
        GUI runs) take no lock."""
        folder = Path(folder).expanduser()
        if is_team_folder(folder):
            return cls.open_team(folder, readonly=readonly)
        engine, lock = open_database(folder, readonly=readonly, create=create,
                                     lock_wait=lock_wait, on_lock_wait=on_lock_wait)
        with released_on_error(folder, engine, lock):
            library = cls(folder, engine, readonly=readonly, lock=lock)
            if not readonly:
                library._prepare_for_writing()
                library._safety.daily_backup()
                if not create:  # said when the project is first opened for work
                    library.cloud_warning = library._safety.first_cloud_warning()
        return library

    @classmethod
    def open_engine(cls, folder: Path | str, engine: Engine) -> Library:
        """A project whose database is ``engine`` (holding the current schema, e.g. a shared
        PostgreSQL database) and whose index and copied originals live in ``folder``: the seam
        a second backend plugs into. No project lock: the database serialises the writers."""
        folder = Path(folder).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        library = cls(folder, engine, readonly=False, lock=None)
        if engine.dialect.name == "postgresql":  # the coder is the role the client logs in as
            library.user = library._store.user = login_role(engine)
            library._coders.reload_coder_settings()
        library._prepare_for_writing()
        library._catch_up()
        return library

    def _catch_up(self) -> None:
        """A shared database's index learns what others wrote while this client was away
        (an index that does not know its place in the change log is rebuilt)."""
        if not self._follower.enabled:
            return
        if not self._follower.positioned and self._store.index.status().exists:
            self.reindex()
        self._follower.poll()

    @classmethod
    def open_team(cls, folder: Path | str, *, readonly: bool = False,
                  session: TeamSession | None = None) -> Library:
        """The team project whose ``team.json`` is in ``folder`` (``core.team``): no lock (the
        server serialises the writers), no backups of its own (the server's are the group's),
        the coder is the server role, and a role without write grants gets a project that
        browses, searches and exports but refuses every write with one sentence."""
        folder = Path(folder).expanduser()
        session = session or open_session(read_team_file(folder))
        try:
            library = cls(folder, session.engine, readonly=readonly, lock=None, user=session.user)
            library.team = session
            library._store.originals_in_database = True
            library._store.before_bulk = lambda _what: None  # the server's backups, not ours
            if not session.writable:
                library._store.refuse_writes = READ_ONLY_MESSAGE
            if not readonly:
                library._prepare_for_writing()
            library._catch_up()
        except BaseException:
            session.engine.dispose()
            raise
        return library

    @classmethod
    def init_team(cls, folder: Path | str, address: TeamAddress, *,
                  create: bool = True) -> tuple[Library, bool]:
        """``annotator init --db URL DIR``: a new team project in an empty database (unless
        ``create`` is False), or this client connected to the one it holds; returns the open
        project (its index built) and whether it was created."""
        session, created = set_up_team(folder, address, create=create)
        library = cls.open_team(folder, session=session)
        try:
            if not library.index_is_current():
                library.reindex()
        except BaseException:
            library.close()
            raise
        return library, created

    def _prepare_for_writing(self) -> None:
        with self._store.write_lock:
            self.orphaned_sources = prepare_project(self.folder, self._store.engine)
        self.open_note = orphans_note(self.orphaned_sources)
        self._create_index_if_empty()

    def close(self) -> None:
        self._follower.close()
        self._store.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        """The project's name as shown to the user: the folder name without ``.annotator``."""
        name = self.folder.name
        return name[: -len(".annotator")] if name.endswith(".annotator") else name

    def generation(self) -> int:
        return self._store.generation()

    def _create_index_if_empty(self) -> None:
        """A new project gets its (empty) index at once; a project with documents and no index
        is rebuilt by the caller in the background (``index_is_current`` says so)."""
        if self.counts()["documents"] == 0 and not self._store.index.status().exists:
            self.reindex()

    # ----------------------------------------------------------------- what changed
    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener(changes)`` after every write, on the writing thread; returns the
        function that stops it."""
        return self._store.subscribe(listener)

    @contextmanager
    def collect_changes(self) -> Iterator[ChangeCollector]:
        """``collector.changes``: every write this thread makes inside the block, merged."""
        with self._store.collect() as collector:
            yield collector

    @property
    def follows_others(self) -> bool:
        """Other clients write to this project's database (a team project): poll for them."""
        return self._follower.enabled

    def poll_changes(self) -> RemoteChanges:
        """What other clients committed since the last call: applied to this client's search
        index, published on the change feed (``subscribe``) like a write of ours, and
        returned with who did what. Nothing on a local project. Call it off the GUI thread."""
        return self._follower.poll()

    def wait_for_changes(self, timeout: float) -> bool:
        """Block (off the GUI thread) up to ``timeout`` seconds until another client commits
        a change; True when ``poll_changes`` may find one. Wakes at once on a team project."""
        return self._follower.wait(timeout)

    # ----------------------------------------------------------------- documents
    documents = _Via("_documents", Documents.documents)
    first_documents = _Via("_listing", DocumentListing.first_documents)
    document = _Via("_documents", Documents.document)
    document_text = _Via("_documents", Documents.document_text)
    document_texts = _Via("_documents", Documents.document_texts)
    find_duplicate = _Via("_documents", Documents.find_duplicate)
    original_path = _Via("_documents", Documents.original_path)
    document_snapshot = _Via("_documents", Documents.document_snapshot)
    counts = _Via("_documents", Documents.counts)
    add_document = _Via("_documents", Documents.add_document)
    add_documents = _Via("_documents", Documents.add_documents)
    staging_folder = _Via("_documents", Documents.staging_folder)
    update_document = _Via("_documents", Documents.update_document)
    delete_documents = _Via("_documents", Documents.delete_documents)
    restore_document = _Via("_documents", Documents.restore_document)

    # ----------------------------------------------------------------- highlights and notes
    highlights = _Via("_highlights", Highlights.highlights)
    highlight = _Via("_highlights", Highlights.highlight)
    highlight_counts = _Via("_highlights", Highlights.highlight_counts)
    highlight_tag_ids = _Via("_highlights", Highlights.highlight_tag_ids)
    highlight_documents = _Via("_highlights", Highlights.highlight_documents)
    highlight_versions = _Via("_highlights", Highlights.highlight_versions)
    is_team_project = _Via("_server", ServerCheck.is_team_project)
    server_reachable = _Via("_server", ServerCheck.server_reachable)
    add_highlight = _Via("_highlights", Highlights.add_highlight)
    set_highlight_span = _Via("_highlights", Highlights.set_highlight_span)
    set_highlight_tags = _Via("_highlights", Highlights.set_highlight_tags)
    add_tags = _Via("_highlights", Highlights.add_tags)
    delete_highlights = _Via("_highlights", Highlights.delete_highlights)
    restore_highlights = _Via("_highlights", Highlights.restore_highlights)
    set_highlight_note = _Via("_highlights", Highlights.set_highlight_note)
    set_document_note = _Via("_highlights", Highlights.set_document_note)
    tag_mentions = _Via("_highlights", Highlights.tag_mentions)
    find_mentions = _Via("_mentions", Mentions.find_mentions)

    # ----------------------------------------------------------------- coders
    coders = _Via("_coders", Coders.coders)
    visible_coders = _Via("_coders", Coders.visible_coders)
    set_visible_coders = _Via("_coders", Coders.set_visible_coders)
    blind_coding = _Via("_coders", Coders.blind_coding)
    set_blind_coding = _Via("_coders", Coders.set_blind_coding)
    visible_counts = _Via("_coders", Coders.visible_counts)
    # Read this user's blind-coding setting again: whoever changes the store's user after
    # opening (a team project's login) calls it.
    reload_coder_settings = _Via("_coders", Coders.reload_coder_settings)

    # ----------------------------------------------------------------- codebook
    categories = _Via("_codebook", Codebook.categories)
    add_category = _Via("_codebook", Codebook.add_category)
    rename_category = _Via("_codebook", Codebook.rename_category)
    delete_category = _Via("_codebook", Codebook.delete_category)
    tags = _Via("_codebook", Codebook.tags)
    tag = _Via("_codebook", Codebook.tag)
    tag_names = _Via("_codebook", Codebook.tag_names)
    tag_counts = _Via("_codebook", Codebook.tag_counts)
    find_tag = _Via("_codebook", Codebook.find_tag)
    create_tag = _Via("_codebook", Codebook.create_tag)
    update_tag = _Via("_codebook", Codebook.update_tag)
    merge_tags = _Via("_codebook", Codebook.merge_tags)
    undo_merge = _Via("_codebook", Codebook.undo_merge)
    tag_snapshot = _Via("_codebook", Codebook.tag_snapshot)
    delete_tags = _Via("_codebook", Codebook.delete_tags)
    restore_tags = _Via("_codebook", Codebook.restore_tags)
    delete_tag = _Via("_codebook", Codebook.delete_tag)
    restore_tag = _Via("_codebook", Codebook.restore_tag)

    # ----------------------------------------------------------------- search and its index
    search = _Via("_search", Search.search)
    index_status = _Via("_search", Search.index_status)
    index_is_current = _Via("_search", Search.index_is_current)
    content_fingerprint = _Via("_search", Search.content_fingerprint)
    index_problem = _Via("_search", Search.index_problem)
    check = _Via("_search", Search.check)
    refresh_index = _Via("_search", Search.refresh_index)
    reindex = _Via("_search", Search.reindex)
    saved_searches = _Via("_search", Search.saved_searches)
    save_search = _Via("_search", Search.save_search)
    saved_search_named = _Via("_search", Search.saved_search_named)
    rename_saved_search = _Via("_search", Search.rename_saved_search)
    delete_saved_search = _Via("_search", Search.delete_saved_search)

    # ----------------------------------------------------------------- exports
    document_summaries = _Via("_excerpts", Excerpts.document_summaries)
    excerpt_batches = _Via("_excerpts", Excerpts.excerpt_batches)
    excerpt_plan = _Via("_excerpts", Excerpts.excerpt_plan)

    # ----------------------------------------------------------------- variables and analysis
    variables = _Via("_analysis", AnalysisService.variables)
    variable = _Via("_analysis", AnalysisService.variable)
    define_variable = _Via("_analysis", AnalysisService.define_variable)
    change_variable = _Via("_analysis", AnalysisService.change_variable)
    delete_variable = _Via("_analysis", AnalysisService.delete_variable)
    restore_variable = _Via("_analysis", AnalysisService.restore_variable)
    variable_values = _Via("_analysis", AnalysisService.variable_values)
    document_variables = _Via("_analysis", AnalysisService.document_variables)
    all_document_variables = _Via("_analysis", AnalysisService.all_document_variables)
    set_document_variable = _Via("_analysis", AnalysisService.set_document_variable)
    set_documents_variable = _Via("_analysis", AnalysisService.set_documents_variable)
    restore_document_variable = _Via("_analysis", AnalysisService.restore_document_variable)
    import_variables_csv = _Via("_analysis", AnalysisService.import_variables_csv)
    resolve_analysis_filter = _Via("_analysis", AnalysisService.resolve_analysis_filter)
    analysis_axis = _Via("_analysis", AnalysisService.analysis_axis)
    tag_matrix = _Via("_analysis", AnalysisService.tag_matrix)
    cooccurrence = _Via("_analysis", AnalysisService.cooccurrence)
    matrix_cell_highlights = _Via("_analysis", AnalysisService.matrix_cell_highlights)
    combination_highlights = _Via("_analysis", AnalysisService.combination_highlights)
    tagged_highlights = _Via("_analysis", AnalysisService.tagged_highlights)
    tag_frequencies = _Via("_analysis", AnalysisService.tag_frequencies)
    category_frequencies = _Via("_analysis", AnalysisService.category_frequencies)
    tag_timeline = _Via("_analysis", AnalysisService.tag_timeline)

    # ----------------------------------------------------------------- comparing coders
    coder_summaries = _Via("_adjudication", Adjudication.coder_summaries)
    coder_agreement = _Via("_adjudication", Adjudication.coder_agreement)
    consensus_coder = _Via("_adjudication", Adjudication.consensus_coder)
    set_consensus_coder = _Via("_adjudication", Adjudication.set_consensus_coder)
    review_disagreements = _Via("_adjudication", Adjudication.review_disagreements)
    accept_side = _Via("_adjudication", Adjudication.accept_side)
    merge_sides = _Via("_adjudication", Adjudication.merge_sides)
    accept_agreed = _Via("_adjudication", Adjudication.accept_agreed)
    settle = _Via("_adjudication", Adjudication.settle)
    undo_adjudication = _Via("_adjudication", Adjudication.undo_adjudication)
    redo_adjudication = _Via("_adjudication", Adjudication.redo_adjudication)

    # ----------------------------------------------------------------- exchange
    def project_uuid(self) -> uuid.UUID:
        """The project's stable identity, which exported GUIDs derive from (kept in the
        project once known; see ``core.project_identity``)."""
        with self._store.write_lock:
            return project_uuid(self._store.engine, self.folder, store=not self.readonly)

    def import_bundle(self, bundle: Bundle) -> BundleResult:
        """Write many documents, codes and highlights in one transaction and one index update
        (``core.bulk_import``): an exchange file's import is all or nothing. A project that
        already holds documents is backed up first (``Safety.backup_before_bulk``)."""
        if self.counts()["documents"]:
            self._store.before_bulk("import")
        return write_bundle(self._store, bundle, sources_dir=SOURCES_DIR)

    def copy_into(self, target: Library, *, reindex: bool = True) -> CopySummary:
        """Copy this whole project into the empty project ``target`` (``core.team_copy``:
        publish to a team server, clone one to a local folder), then rebuild its index."""
        summary = copy_project(self._store, target._store)
        if reindex:
            target.reindex()
        return summary

    # ----------------------------------------------------------------- keeping the work safe
    backup = _Via("_safety", Safety.backup)
    backups = _Via("_safety", Safety.backups)
    backup_before_bulk = _Via("_safety", Safety.backup_before_bulk)
    backup_keep = _Via("_safety", Safety.backup_keep)
    set_backup_keep = _Via("_safety", Safety.set_backup_keep)
    verify_content = _Via("_safety", Safety.verify_content)
    repair = _Via("_safety", Safety.repair)
    meta_value = _Via("_safety", Safety.meta_value)
    set_meta_value = _Via("_safety", Safety.set_meta_value)
    restore_backup = staticmethod(Safety.restore_backup)
    newest_good_backup = staticmethod(Safety.newest_good_backup)
