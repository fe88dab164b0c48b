"""Benchmarks at the large data size (seed_large): key pages, the duplicate check, resume parsing.

`manage.py bench` (devtools/management/commands/bench.py) runs them: scene.py picks what to
measure, measure.py measures it, report.py judges the goals and writes the Markdown. Pages are
rendered in-process through django.test.Client with DEBUG off (as in production and in the
tests), so the times are the server's own: no network, no proxy, no gunicorn.
"""
