"""Reports: redaction, Allure attachments, run summaries."""
