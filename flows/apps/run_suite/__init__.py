"""The suite ``sso-harness run`` runs: exactly the flows of one target, shipped inside the package.

``suite/`` holds one pytest module (``test_target_flows.py``) and its own
``pytest.ini``, so a run collects only the target's flows wherever the
harness is installed and whatever folder it is started from: no repository
``e2e/`` folder, no self-tests, no unrelated skips. The folder has no
``__init__.py`` on purpose: pytest imports the module by its file name, not
as part of this package. The flows' logic lives in
:mod:`sso_harness.targets.runner` (``play_case``), shared with the
repository's own ``e2e/test_target_flows.py``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SUITE_DIR", "SUITE_INI", "SUITE_MODULE"]

SUITE_DIR = Path(__file__).resolve().parent / "suite"
SUITE_INI = SUITE_DIR / "pytest.ini"
SUITE_MODULE = SUITE_DIR / "test_target_flows.py"
