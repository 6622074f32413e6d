"""Test harness shared by the suite, the docs builder and the benchmarks."""
