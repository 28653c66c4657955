"""``python -m sscguard``: the same entry point as the ``sscguard`` command."""

import sys

from sscguard.cli import main

sys.exit(main())
