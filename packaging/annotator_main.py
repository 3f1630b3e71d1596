"""The bundle's entry point: ``dist/Annotator/annotator`` is the whole command line, and with
no command it opens the desktop app, as the installed ``annotator`` does."""

from __future__ import annotations

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
