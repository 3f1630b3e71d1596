"""``python -m annotator …`` behaves exactly like the ``annotator`` command."""

import sys

from annotator.cli import main

sys.exit(main())
