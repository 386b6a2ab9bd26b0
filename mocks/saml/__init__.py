"""SAML building blocks of the mocks, and the generic IdP/SP pair.

* :mod:`mocks.saml.response_builder` — Responses in Entra's shape
* :mod:`mocks.saml.issue` — faults applied, then signed in-process
* :mod:`mocks.saml.faults` — :class:`ResponseFaults` and their JSON form
* :mod:`mocks.saml.metadata` / :mod:`mocks.saml.schema` — metadata built and schema-checked
* :mod:`mocks.saml.redirect` — the HTTP-Redirect binding, outbound
* :mod:`mocks.saml.sp_engine` / :mod:`mocks.saml.sp_checks` — the SP side, with named checks
* :mod:`mocks.saml.idp` / :mod:`mocks.saml.sp` — the generic IdP and SP (pysaml2 for protocol semantics)
"""
