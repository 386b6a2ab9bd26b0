"""Sub-commands of the ``sso-harness`` CLI, one module each (``add_parser`` + ``run``)."""
