"""Fixtures shared by the end-to-end suites (mock lane).

The journeys (``sp_initiated``, ``idp_initiated``, ``oidc_login``), the fleet
(``mock_fleet``, ``inject_fault``) and the recording (``sso_capture``) come
from the installed plugin (:mod:`sso_harness.plugin.journeys`,
:mod:`sso_harness.plugin.fixtures`), exactly as in a user's project; this
file keeps only what the repository's own suites need beyond them.
"""
