"""File › New Team Project… and Connect to Team Project…: where the server is (a URL, or host,
port, database and user), the folder on this computer that holds this client's search index,
and a password when the server asks for one (kept in memory only). Problems are said inside
the dialog, next to what to change; the connection runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.library import Library, current_user
from annotator.core.progress import CancelToken, ProgressCallback
from annotator.core.team import PasswordNeeded, TeamAddress, team_address
from annotator.gui.tasks import Task, shared_runner

NEW, CONNECT = "new", "connect"


class TeamProjectDialog(QDialog):
    """``library`` holds the open team project once the dialog is accepted."""

    def __init__(self, parent: QWidget | None, mode: str = CONNECT) -> None:
        super().__init__(parent)
        self.mode = mode
        self.library: Library | None = None
        self._task: Task | None = None
        self._folder_edited = False
        creating = mode == NEW
        self.setWindowTitle("New Team Project" if creating else "Connect to Team Project")
        intro = QLabel(
            "A team project lives in a PostgreSQL database that your group shares. "
            + ("An empty database gets a new project; one that already holds a project is "
               "connected to." if creating else "Connect to the project your group set up.")
            + " The password is never saved: Annotator also reads ~/.pgpass and PGPASSWORD.")
        intro.setWordWrap(True)

        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://user@host/database (or fill in below)")
        self.host = QLineEdit()
        self.host.setPlaceholderText("server name, e.g. db.uni.example")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.user = QLineEdit(current_user())
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel("Password:")
        self.folder = QLineEdit()
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)

        form = QFormLayout()
        form.addRow("Server URL:", self.url)
        form.addRow("Host:", self.host)
        form.addRow("Port:", self.port)
        form.addRow("Database:", self.database)
        form.addRow("User:", self.user)
        form.addRow(self.password_label, self.password)
        form.addRow("Folder on this computer:", folder_row)
        self._show_password(False)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.status = QLabel()
        self.status.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Create" if creating else "Connect",
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.database.textChanged.connect(self._suggest_folder)
        self.url.textChanged.connect(self._suggest_folder)
        self.folder.textEdited.connect(self._mark_folder_edited)
        self.resize(560, self.sizeHint().height())

    # ----------------------------------------------------------------- fields
    def _show_password(self, shown: bool) -> None:
        self.password.setVisible(shown)
        self.password_label.setVisible(shown)

    def _mark_folder_edited(self, _text: str) -> None:
        self._folder_edited = True

    def _suggest_folder(self, _text: str = "") -> None:
        if self._folder_edited:
            return
        try:
            name = self.address().database
        except AnnotatorError:
            name = self.database.text().strip()
        if name:
            self.folder.setText(str(Path.home() / f"{name}.annotator"))

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the team project",
                                                  str(Path.home()))
        if chosen:
            self.folder.setText(chosen)
            self._folder_edited = True

    def address(self) -> TeamAddress:
        """What the fields name (the URL wins when given); raises with what is missing."""
        password = self.password.text() if self.password.isVisible() else None
        url = self.url.text().strip()
        if not url:
            host, database = self.host.text().strip(), self.database.text().strip()
            if not host or not database:
                raise AnnotatorError("give the server URL, or the host and the database")
            user = self.user.text().strip()
            who = f"{user}@" if user else ""
            url = f"postgresql://{who}{host}:{self.port.value()}/{database}"
        return team_address(url, password=password or None)

    # ----------------------------------------------------------------- connecting
    def _go(self) -> None:
        try:
            address = self.address()
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return
        if not self.folder.text().strip():
            self.show_error("choose a folder on this computer for the team project")
            return
        folder = Path(self.folder.text().strip()).expanduser()
        create = self.mode == NEW

        def job(_report: ProgressCallback, _cancel: CancelToken) -> Library:
            library, _created = Library.init_team(folder, address, create=create)
            return library

        self.error.hide()
        self.status.setText(f"Connecting to {address.server}…")
        self.status.show()
        self.ok.setEnabled(False)
        task = Task(job, "team project")
        task.signals.finished.connect(self._connected)
        task.signals.failed.connect(self._failed)
        self._task = shared_runner().launch(task)

    def _connected(self, library: Library) -> None:
        self._task = None
        self.library = library
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._task = None
        self.ok.setEnabled(True)
        self.status.hide()
        if isinstance(error, PasswordNeeded):
            first = not self.password.isVisible()
            self._show_password(True)
            self.password.setFocus()
            self.show_error(str(error) + (": type it below" if first else ""))
            return
        self.show_error(str(error) if isinstance(error, AnnotatorError)
                        else f"could not connect: {error}")

    def show_error(self, text: str) -> None:
        self.error.setText(text[:1].upper() + text[1:])
        self.error.show()

    def busy(self) -> bool:
        return self._task is not None
