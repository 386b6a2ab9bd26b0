"""Constants and small builders shared by the battery's unit tests."""

from __future__ import annotations

import datetime as dt

from sso_harness.apps.security.saml_mint import SpFacts

NOW = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.timezone.utc)
SP = SpFacts("https://sp.example/metadata", "https://sp.example/acs")
