"""HTTP plumbing every mock shares: requests and responses, routing, the app base class (and its
switchable-weaknesses variant), the one server lifecycle (:mod:`~sso_harness.mocks.web.servers`), outbound calls."""
