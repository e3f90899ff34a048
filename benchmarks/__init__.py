"""Workstation benchmark suite: ``python -m benchmarks`` (or ``make bench``).

Every goal is a ratio against a floor measured in the same run, never an absolute time, except
where a requirement states an absolute budget. See ``benchmarks/README.md``.
"""
