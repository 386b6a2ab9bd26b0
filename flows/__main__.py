"""``python -m sso_harness``: the command line."""

import sys

from sso_harness.apps.cli.main import main

sys.exit(main())
