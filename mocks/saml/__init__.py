"""SAML mocks: an IdP and an SP built on pysaml2, signing in-process."""
