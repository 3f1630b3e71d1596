"""The bundle's entry point: ``dist/Annotator/annotator`` is the whole command line, and with
no command it opens the desktop app, as the installed ``annotator`` does."""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    # Batch import's reader processes, their fork server and multiprocessing's resource
    # tracker are started by running this executable again with Python's own arguments
    # (``-c "from multiprocessing.forkserver import main…"``); PyInstaller's freeze_support
    # runs those and exits before our command line would reject them.
    multiprocessing.freeze_support()

    from annotator.cli import main

    sys.exit(main())
