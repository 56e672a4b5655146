"""The domain: the workbook's contract, Thai dates and numbers, the fiscal calendar, the model, scoring, rounds, steps and problems. Pure: no I/O, nothing from the layers above."""
