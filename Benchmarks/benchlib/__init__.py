"""benchlib: the pieces of the benchmark driver (bench.py): processes, loads, measures, report."""
