"""The test user's phone: Microsoft Authenticator answering push and number-matching requests.

A push screen (``push``, ``number_match``, ``phone_sign_in``) registers a
*pending* approval for its flow. A test plays the phone through the admin
API: ``GET /_admin/approvals`` lists what is pending (user, screen, the number
the browser shows), ``POST /_admin/approve {"user": upn, "number": "42",
"deny": false}`` answers the user's pending request. For number matching the
number must be the one the browser shows; a wrong one is a denial, as on a
real phone.

The browser learns the answer the way the real page does, by polling
``POST /common/SAS/EndAuth`` (entra.md §3, step 4; the JSON members are those
saml2aws's ``mfaResponse`` reads: ``Success``, ``ResultValue``, ``Message``,
``AuthMethodId``, ``ErrCode``, ``Retry``, ``FlowToken``, ``Ctx``,
``SessionId``, ``CorrelationId``, ``Timestamp``). The ``ResultValue``
strings used here (``Success``, ``PhoneAppDenied``,
``AuthenticationPending``) are this mock's: no public source I could read
lists the real ones. Once answered, the page posts its form and the
sign-in moves on (approved) or shows "Request denied".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["Phone", "Pending", "PhoneError", "APPROVAL_SCREENS"]

#: The screens only a phone can move on.
APPROVAL_SCREENS = frozenset({"push", "number_match", "phone_sign_in"})


class PhoneError(ValueError):
    """An approval that cannot be given: nothing pending, or a malformed request (``code`` = ``entra.phone``)."""

    code = "entra.phone"


@dataclass(frozen=True)
class Pending:
    """A request waiting on the phone: which flow, which screen, the number shown (None for a plain push)."""

    ctx: str
    user: str
    screen: str
    number: str | None


class Phone:
    """Pending requests by flow, and the answers given to them. Thread-safe."""

    def __init__(self) -> None:
        self._pending: dict[str, Pending] = {}
        self._answers: dict[str, bool] = {}
        self._lock = threading.Lock()

    def ask(self, pending: Pending) -> None:
        """The browser shows an approval screen: the phone gets the request (a new one replaces an unanswered one)."""
        with self._lock:
            self._pending[pending.ctx] = pending
            self._answers.pop(pending.ctx, None)

    def pending(self) -> list[Pending]:
        with self._lock:
            return [p for p in self._pending.values() if p.ctx not in self._answers]

    def answer(self, user: str, *, approve: bool, number: str | None = None) -> Pending:
        """Answer ``user``'s latest unanswered request; a number-matching request approved with the wrong number is denied."""
        wanted = user.strip().lower()
        with self._lock:
            waiting = [p for p in self._pending.values() if p.user.lower() == wanted and p.ctx not in self._answers]
            if not waiting:
                raise PhoneError(f"entra.phone: no sign-in request is waiting for {user!r} on the phone")
            request = waiting[-1]
            if approve and request.number is not None and number != request.number:
                approve = False
            self._answers[request.ctx] = approve
            return request

    def request(self, ctx: str) -> Pending | None:
        with self._lock:
            return self._pending.get(ctx)

    def result(self, ctx: str) -> bool | None:
        """True approved, False denied, None not answered yet."""
        with self._lock:
            return self._answers.get(ctx)

    def done(self, ctx: str) -> None:
        """The flow moved on: forget its request."""
        with self._lock:
            self._pending.pop(ctx, None)
            self._answers.pop(ctx, None)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
            self._answers.clear()
