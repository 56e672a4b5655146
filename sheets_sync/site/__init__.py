"""A static site built from the workbook: where the office stands, a page per KPI, "my KPIs" per person, and the
steps — files any web server or shared folder can host, readable on a phone, printable, and working on an
intranet with no internet (the Sarabun font is shipped with it)."""
