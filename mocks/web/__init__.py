"""HTTP plumbing every mock shares: requests and responses, routing, the app base class, outbound calls."""
