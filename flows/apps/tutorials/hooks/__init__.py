"""The hooks of the five seed guides, one module per guide (see :mod:`sso_harness.apps.tutorials.hook`)."""
