"""SAML building blocks of the mocks, and the generic IdP/SP pair.

* :mod:`sso_harness.mocks.saml.response_builder` — Responses in Entra's shape
* :mod:`sso_harness.mocks.saml.issue` — faults applied, then signed in-process
* :mod:`sso_harness.mocks.base.faults` — :class:`ResponseFaults` and their JSON form
* :mod:`sso_harness.mocks.saml.metadata` / :mod:`sso_harness.mocks.saml.schema` — metadata built and schema-checked
* :mod:`sso_harness.mocks.saml.redirect` — the HTTP-Redirect binding, outbound
* :mod:`sso_harness.mocks.saml.sp_engine` / :mod:`sso_harness.mocks.saml.sp_checks` — the SP side, with named checks
* :mod:`sso_harness.mocks.saml.idp` / :mod:`sso_harness.mocks.saml.sp` — the generic IdP and SP (pysaml2 for protocol semantics)
"""
