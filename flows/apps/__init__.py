"""Applications built on the harness: the security battery, tutorials as specs,
the real-peers lane, benchmarks, the capture service and the command line.

Nothing below this layer imports from here.
"""
