"""The harness's version, in a module of its own so that any layer can stamp
what it writes without importing the package's public face."""

__all__ = ["__version__"]

__version__ = "0.1.0"
