"""Annotator benchmarks: `python -m bench.run` (see bench/run.py). Never run by the tests,
except the tiny smoke run in tests/bench."""
