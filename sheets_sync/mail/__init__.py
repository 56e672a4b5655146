"""E-mail: the reminders and alerts composed from templates (Jinja2), and sent with the standard library's smtplib."""
