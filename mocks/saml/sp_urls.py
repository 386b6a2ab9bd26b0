"""Where a plain SAML SP mock keeps its endpoints, relative to its base URL."""

from __future__ import annotations

__all__ = ["SpUrls"]


class SpUrls:
    """Mixin: the entity ID is the metadata URL ``{base_url}/metadata``; the ACS is ``{base_url}/acs``."""

    base_url: str

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def acs_url(self) -> str:
        return f"{self.base_url}/acs"
