"""Mock IdPs and SPs served on 127.0.0.1, for the harness's mock lane."""
