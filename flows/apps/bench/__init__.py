"""Benchmarks of the harness, each against a baseline measured in the same run.

Run with ``sso-harness bench``; nothing here is a test and nothing asserts on time.
"""
