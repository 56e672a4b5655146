"""One module per command: a pure plan from what was read, and a run that reads once, applies once and returns a report."""
