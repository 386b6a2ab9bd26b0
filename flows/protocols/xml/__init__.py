"""XML as SAML and WS-Federation use it: safe parsing, canonicalisation,
signatures (:mod:`.dsig`) and encryption (:mod:`.enc`)."""
