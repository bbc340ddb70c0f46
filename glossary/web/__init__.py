"""`glossary serve`: the termbase as a small local web application.

The same lookup as `glossary lookup`, entries with their contexts and history, browsing,
review through the same library call and audit as an import, downloads, and upload of an
edited workbook through the same import. Needs the `web` extra (Flask, waitress).
"""
