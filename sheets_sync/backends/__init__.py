"""Workbook backends: a local .xlsx file (openpyxl) now; Google Sheets behind the same interface next."""
