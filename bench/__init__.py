"""Benchmarks of the connector against the local sandbox: `python -m bench`."""
