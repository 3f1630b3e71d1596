"""The main window's menus and toolbar: every action, its shortcut and its icon in one place.
Each action is connected to a method of the window; none is a placeholder."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLineEdit, QMenu, QMenuBar, QToolBar, QToolButton, QWidget

from annotator.core.library import Library
from annotator.core.search_results import QUERY_HELP
from annotator.gui import settings, team_projects
from annotator.gui.dialogs.help_dialogs import SearchSyntaxDialog, ShortcutsDialog, UserGuideDialog, show_about
from annotator.gui.icons import icon
from annotator.gui.refi_exchange import RefiExchange
from annotator.gui.tagging import TaggingController
from annotator.gui.widgets.reader_find_bar import FindBar


class ActionsHost(Protocol):
    """What the actions need of the main window: the parts they act on and the methods they
    call (a Protocol, so this module does not import the window that owns it)."""

    library: Library
    undo_stack: QUndoStack
    tagging: TaggingController
    find_bar: FindBar
    reader: QWidget
    library_pane: QWidget
    side_tabs: QWidget
    search_panel: QWidget

    def menuBar(self) -> QMenuBar: ...
    def addToolBar(self, toolbar: QToolBar) -> None: ...
    def close(self) -> bool: ...
    def new_project(self) -> None: ...
    def choose_project(self) -> None: ...
    def switch_project(self, folder: Path) -> None: ...
    def show_project(self, library: Library) -> None: ...
    def choose_import_files(self) -> None: ...
    def choose_import_folder(self) -> None: ...
    def export_excerpts(self) -> None: ...
    def copy_excerpts(self) -> None: ...
    def edit_document_info(self) -> None: ...
    def edit_note(self) -> None: ...
    def edit_preferences(self) -> None: ...
    def change_font_size(self, step: int) -> None: ...
    def find_mentions(self) -> None: ...
    def focus_search(self) -> None: ...
    def start_reindex(self) -> None: ...


def _action(window: ActionsHost, text: str, slot, *, shortcut=None, icon_name: str = "",  # noqa: ANN001
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if icon_name:
        action.setIcon(icon(icon_name))
    if shortcut is not None:
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        else:
            action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


class WindowActions:
    """Builds and holds the actions; ``window.actions_`` is one of these."""

    def __init__(self, window: ActionsHost) -> None:
        w = window
        S = QKeySequence.StandardKey
        self.new_project = _action(w, "&New Project…", w.new_project, shortcut=S.New, icon_name="new-project")
        self.open_project = _action(w, "&Open Project…", w.choose_project, shortcut=S.Open, icon_name="folder")
        parent = w if isinstance(w, QWidget) else None
        self.new_team_project = _action(
            w, "New &Team Project…", lambda: team_projects.new_team_project(w, parent),
            tip="Share a project with your group on a PostgreSQL server")
        self.connect_team_project = _action(
            w, "&Connect to Team Project…", lambda: team_projects.connect_team_project(w, parent),
            tip="Open the project your group shares on a PostgreSQL server")
        self.import_files = _action(w, "&Import Files…", w.choose_import_files, shortcut="Ctrl+I",
                                    icon_name="import", tip="Import articles (HTML, PDF, DOCX, text, Markdown)")
        self.import_folder = _action(w, "Import &Folder…", w.choose_import_folder, shortcut="Ctrl+Shift+I")
        self.export_csv = _action(w, "Excerpts to &CSV…", w.export_excerpts, shortcut="Ctrl+E",
                                  icon_name="export", tip="Export highlighted excerpts")
        self.analysis = _action(w, "&Analysis…", w.open_analysis, shortcut="Ctrl+Shift+A",
                                icon_name="analysis",
                                tip="Matrix, frequencies, timeline and combinations of your tags")
        self.compare_coders = _action(w, "Compare &Coders…", w.open_compare_coders,
                                      shortcut="Ctrl+Shift+K", icon_name="compare",
                                      tip="Agreement between coders per tag, the passages they "
                                          "differ on, and settling them into a consensus")
        self.variables = _action(w, "Document &Variables…", w.edit_variables, icon_name="variables",
                                 tip="Define document variables (outlet, country, stance…)")
        self.excerpt_report = _action(w, "Excerpt &Report…", w.open_excerpt_report,
                                      tip="Excerpts of chosen tags, grouped by tag, as Markdown, "
                                          "HTML or Word")
        self.print_report = _action(w, "&Print Excerpt Report…", w.open_excerpt_report,
                                    shortcut=S.Print, icon_name="print")
        self.refi = RefiExchange(w)
        self.export_refi_project = _action(
            w, "REFI-QDA &Project…", self.refi.choose_project_export,
            tip="Export the whole project for ATLAS.ti, NVivo, MAXQDA, QualCoder (.qdpx)")
        self.export_refi_codebook = _action(
            w, "REFI-QDA Code&book…", self.refi.choose_codebook_export,
            tip="Export the categories and tags as a REFI-QDA codebook (.qdc)")
        self.import_refi = _action(
            w, "Import &REFI-QDA Project or Codebook…", self.refi.choose_import,
            tip="Import a .qdpx project or .qdc codebook from another QDA tool")
        self.restore_backup = _action(w, "&Restore from Backup…", w.restore_from_backup,
                                      tip="Put an earlier copy of the project's database back")
        self.quit = _action(w, "&Quit", w.close, shortcut=S.Quit)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo = w.undo_stack.createUndoAction(w, "&Undo")
        self.undo.setShortcut(QKeySequence(S.Undo))
        self.undo.setIcon(icon("undo"))
        self.redo = w.undo_stack.createRedoAction(w, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.setIcon(icon("redo"))
        self.find = _action(w, "&Find in Document…", w.find_bar.open_bar, shortcut=S.Find, icon_name="search")
        self.tag_selection = _action(w, "&Tag Selection…", w.tagging.focus_picker, shortcut="Ctrl+T",
                                     icon_name="tag", tip="Tag the selected text (Ctrl+T)")
        self.delete_highlight = _action(w, "&Delete Highlight", w.tagging.delete_selected,
                                        shortcut=QKeySequence(Qt.Key.Key_Delete), icon_name="delete")
        # Delete belongs to whichever pane has focus: here, the reader.
        self.delete_highlight.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        w.reader.addAction(self.delete_highlight)
        self.edit_note = _action(w, "Edit &Note", w.edit_note, shortcut="Ctrl+Shift+N", icon_name="note",
                                 tip="Write the clicked highlight's note (or the document's) in the Notes tab")
        self.set_span = _action(w, "&Set Span to Selection", w.tagging.set_span_to_selection,
                                shortcut="Ctrl+Shift+S", icon_name="span",
                                tip="Extend or shrink the clicked highlight to the selected text")
        self.copy_excerpts = _action(w, "Copy Excerpts with &Citation", w.copy_excerpts, shortcut="Ctrl+Shift+C")
        self.document_info = _action(w, "Document &Info…", w.edit_document_info, shortcut="Ctrl+Alt+I",
                                     icon_name="info")
        self.preferences = _action(w, "&Preferences…", w.edit_preferences, shortcut=S.Preferences,
                                   icon_name="preferences")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.bigger = _action(w, "&Bigger Text", lambda: w.change_font_size(+1),
                              shortcut=[QKeySequence("Ctrl+="), QKeySequence("Ctrl++")], icon_name="font-bigger")
        self.smaller = _action(w, "&Smaller Text", lambda: w.change_font_size(-1), shortcut="Ctrl+-",
                               icon_name="font-smaller")
        self.reset_size = _action(w, "&Actual Size", lambda: w.change_font_size(0), shortcut="Ctrl+0")
        self.show_library = self._toggle(w, "&Library", w.library_pane, "Ctrl+1")
        self.show_side = self._toggle(w, "&Codebook, Highlights and Notes", w.side_tabs, "Ctrl+2")
        self.show_search = self._toggle(w, "&Search Results", w.search_panel, "Ctrl+3")
        self.search = _action(w, "Search…", w.focus_search,
                              shortcut=[QKeySequence("Ctrl+K"), QKeySequence("Ctrl+Shift+F")])

        self.find_mentions = _action(w, "Find &Mentions…", w.find_mentions, shortcut="Ctrl+M",
                                     icon_name="find-mentions", tip="Find untagged mentions of a tag's names")
        self.reindex = _action(w, "&Rebuild Search Index", w.start_reindex, icon_name="reindex")
        self.shortcuts = _action(w, "&Keyboard Shortcuts", lambda: ShortcutsDialog(self.all_actions(), w).exec(),
                                 shortcut="Ctrl+/")
        self.search_syntax = _action(w, "&Search Syntax", lambda: SearchSyntaxDialog(w).exec())
        self.user_guide = _action(w, "&User Guide",
                                  lambda: UserGuideDialog(self.all_actions(), w.library.folder, w).exec(),
                                  shortcut=QKeySequence.StandardKey.HelpContents)
        self.about = _action(w, "&About Annotator", lambda: show_about(w, w.library.folder))
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.recent_menu = QMenu("Open &Recent", w)
        self.recent_menu.aboutToShow.connect(lambda: self._fill_recent(w))

    def all_actions(self) -> list[QAction]:
        """Every action of the window, in the order they are defined."""
        return [a for a in vars(self).values() if isinstance(a, QAction)]

    @staticmethod
    def _toggle(window: ActionsHost, text: str, widget, shortcut: str) -> QAction:  # noqa: ANN001
        action = QAction(text, window)
        action.setCheckable(True)
        action.setChecked(True)
        action.setShortcut(QKeySequence(shortcut))
        action.toggled.connect(widget.setVisible)
        return action

    def _fill_recent(self, window: ActionsHost) -> None:
        self.recent_menu.clear()
        projects = [p for p in settings.recent_projects() if p != window.library.folder]
        for folder in projects:
            action = self.recent_menu.addAction(folder.name)
            action.setToolTip(str(folder))
            action.triggered.connect(lambda _c=False, f=folder: window.switch_project(f))
        if not projects:
            self.recent_menu.addAction("No other recent projects").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear Menu")
            clear.triggered.connect(lambda: [settings.forget_recent_project(p) for p in projects])

    def build_menus(self, window: ActionsHost) -> None:
        bar = window.menuBar()
        file = bar.addMenu("&File")
        file.addActions([self.new_project, self.open_project])
        file.addActions([self.new_team_project, self.connect_team_project])
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addActions([self.import_files, self.import_folder, self.import_refi])
        export = file.addMenu("&Export")
        export.addActions([self.export_csv, self.excerpt_report])
        file.addAction(self.print_report)
        export.addAction(self.export_csv)
        export.addSeparator()
        export.addActions([self.export_refi_project, self.export_refi_codebook])
        file.addSeparator()
        file.addAction(self.document_info)
        file.addSeparator()
        file.addAction(self.restore_backup)
        file.addSeparator()
        file.addAction(self.quit)

        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.find, self.search])
        edit.addSeparator()
        edit.addActions([self.tag_selection, self.set_span, self.edit_note, self.delete_highlight])
        edit.addSeparator()
        edit.addAction(self.copy_excerpts)
        edit.addSeparator()
        edit.addAction(self.preferences)

        view = bar.addMenu("&View")
        view.addActions([self.bigger, self.smaller, self.reset_size])
        view.addSeparator()
        view.addActions([self.show_library, self.show_side, self.show_search])

        tools = bar.addMenu("&Tools")
        tools.addActions([self.analysis, self.compare_coders, self.variables, self.find_mentions,
                          self.reindex])

        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.user_guide, self.shortcuts, self.search_syntax])
        help_menu.addSeparator()
        help_menu.addAction(self.about)

    def build_toolbar(self, window: ActionsHost) -> QLineEdit:
        toolbar = QToolBar("Main toolbar", window)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        window.addToolBar(toolbar)
        import_button = QToolButton(toolbar)
        import_button.setDefaultAction(self.import_files)
        import_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        import_button.setText("Import")
        import_menu = QMenu(import_button)
        import_menu.addActions([self.import_files, self.import_folder, self.import_refi])
        import_button.setMenu(import_menu)
        import_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        toolbar.addWidget(import_button)
        toolbar.addSeparator()
        toolbar.addActions([self.undo, self.redo])
        toolbar.addSeparator()
        for action, label in ((self.tag_selection, "Tag"), (self.find_mentions, "Find mentions")):
            button = QToolButton(toolbar)
            button.setDefaultAction(action)
            button.setText(label)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            toolbar.addWidget(button)
        button = QToolButton(toolbar)
        button.setDefaultAction(self.export_csv)
        button.setText("Export")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(button)
        button = QToolButton(toolbar)
        button.setDefaultAction(self.analysis)
        button.setText("Analysis")
        button.setObjectName("analysisButton")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(button)
        search = QLineEdit(toolbar)
        search.setObjectName("toolbarSearch")
        search.setPlaceholderText('Search  —  e.g.  actor:"Mark Carney" AND topic:tariffs  retaliat*   (Ctrl+K)')
        search.setClearButtonEnabled(True)
        search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        search.setMinimumWidth(360)
        search.setToolTip(QUERY_HELP)
        toolbar.addSeparator()
        toolbar.addWidget(search)
        return search
