"""The ways a tutorial run can fall short, each with a message for a person.

``SpecError`` is a mistake in a spec file (the message names the file and
the key path, like the targets loader does). ``ValueMissing`` says a
template needed a value the lane does not have (a real target without that
key). ``NotObserved`` says a probe found nothing to look at in the flow
(no SAML Response, no token response). ``StepFailed`` says an emulation
could not be configured the way the spec asks.
"""

from __future__ import annotations

__all__ = ["SpecError", "ValueMissing", "NotObserved", "StepFailed"]


class SpecError(ValueError):
    """A spec file problem, e.g. ``my-guide.yaml: checks[3].probe: unknown probe 'saml.nameid'``."""


class ValueMissing(LookupError):
    """A ``{name}`` in a template has no value in this lane."""

    def __init__(self, name: str, template: str = "") -> None:
        self.name = name
        self.template = template
        super().__init__(f"no value for {{{name}}}" + (f" (in {template!r})" if template else ""))


class NotObserved(LookupError):
    """The flow did not show what a probe looks for; ``str()`` says what is missing, ``code`` (when the
    probe has one) why, e.g. ``signed_in.landing_not_loaded`` for a page that could not be read."""

    def __init__(self, message: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(message)


class StepFailed(RuntimeError):
    """An emulation setup step could not be carried out; ``str()`` says which and why."""
