"""Capture: mitmproxy in-process, recording hops for the trace."""

from flows.capture.hop import Header, Hop
from flows.capture.proxy import CaptureProxy, ProxyStartError
from flows.capture.recorder import Recorder
from flows.capture.scope import is_loopback_host

__all__ = ["CaptureProxy", "Header", "Hop", "ProxyStartError", "Recorder", "is_loopback_host"]
