"""Files opened from the file manager while Annotator is already running go to the running
app, which asks and imports them into its project, instead of a second process failing on the
project the first one holds ("project is open in another window").

The running app listens on a local socket named per user; a new ``annotator-gui FILE…`` sends
the paths (one JSON line) and exits once the running app has acknowledged them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 2000
ACK = b"ok\n"


def server_name() -> str:
    """One per user (and per display session's runtime folder, where the socket lives)."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return f"annotator-files-{user}"


def send_to_running(files: list[Path], name: str | None = None) -> bool:
    """Hand ``files`` to a running Annotator; False when none is listening (or it did not
    answer in time), so this process opens its own window."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    try:
        socket.write(json.dumps([str(f) for f in files]).encode("utf-8") + b"\n")
        if not socket.waitForBytesWritten(TIMEOUT_MS):
            return False
        received = b""
        while not received.endswith(b"\n") and socket.waitForReadyRead(TIMEOUT_MS):
            received += bytes(socket.readAll().data())
        return received == ACK
    finally:
        socket.abort()


class FileReceiver(QObject):
    """Listens for other ``annotator-gui FILE…`` starts; ``received`` carries their files."""

    received = Signal(list)

    def __init__(self, parent: QObject | None = None, name: str | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening unless another running Annotator already does (then it gets the
        files). A socket left by a crashed app is removed first."""
        if self.server.listen(self.name):
            return True
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(500):
            probe.abort()
            return False
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if not data.endswith(b"\n"):
            self._buffers[socket] = data
            return
        self._buffers[socket] = b""
        try:
            files = [Path(p) for p in json.loads(data.decode("utf-8")) if isinstance(p, str)]
        except (ValueError, TypeError):
            socket.abort()  # not one of ours: say nothing, import nothing
            return
        socket.write(ACK)
        socket.flush()
        if files:
            self.received.emit(files)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
