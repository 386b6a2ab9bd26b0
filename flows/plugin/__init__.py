"""The pytest plugin (registered through the ``pytest11`` entry point as
:mod:`sso_harness.plugin.hooks`): options, fixtures and target selection."""
