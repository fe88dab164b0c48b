"""Development tooling: the `make run` / `make test` stack, demo and benchmark data, benchmarks.

A Django app at the top of the app chain (it may import every product app; none imports it),
installed only in development: settings.DEVTOOLS, on with DEBUG.
"""
