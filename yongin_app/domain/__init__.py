"""Domain rules: pure functions and policy constants, no I/O, no framework imports."""
