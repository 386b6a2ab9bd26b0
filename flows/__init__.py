"""sso-harness: end-to-end single sign-on testing.

A real browser walks a login, an in-process mitmproxy addon records every hop,
pure decoders turn the hops into protocol messages, and expectations assert
on the resulting :class:`~sso_harness.trace.Trace`.

The layers, bottom to top (docs/architecture.md): ``protocols`` (pure codecs),
``capture`` (proxy and recorder), ``trace`` (decoded hops), ``expect`` /
``diagnose`` / ``report``, ``browser`` / ``targets`` / ``plugin``, and the
applications in ``apps``; ``mocks`` holds every loopback server.
"""

from sso_harness.version import __version__

__all__ = ["__version__"]
