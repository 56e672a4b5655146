"""The Click layer: each command parses its options, calls one core function, renders, and exits."""
