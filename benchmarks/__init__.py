"""Benchmarks of the graph tool: a generator of random prerequisite DAGs and a runner."""
