"""The documents of steps 5 and 7: each KPI's template (รายละเอียดตัวชี้วัด) and the performance agreements
(คำรับรองการปฏิบัติราชการ), as .docx from a template (docxtpl) and as PDF (fpdf2, Thai shaped and broken between
words)."""
