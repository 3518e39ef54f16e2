"""Adapters for the outside world (card issuer, banking, …), each behind a small Protocol."""
