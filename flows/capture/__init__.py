"""Capture: mitmproxy in-process, recording hops for the trace."""

from sso_harness.capture.hop import Header, Hop
from sso_harness.capture.proxy import CaptureProxy, ProxyStartError
from sso_harness.capture.recorder import Recorder
from sso_harness.capture.scope import is_loopback_host

__all__ = ["CaptureProxy", "Header", "Hop", "ProxyStartError", "Recorder", "is_loopback_host"]
