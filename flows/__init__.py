"""sso-harness: end-to-end single sign-on testing.

A real browser walks a login, an in-process mitmproxy addon records every hop,
pure decoders turn the hops into protocol messages, and expectations assert
on the resulting :class:`~sso_harness.trace.trace.Trace`.
"""

__version__ = "0.1.0"
