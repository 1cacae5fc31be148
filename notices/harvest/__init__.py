"""Harvest whole columns of government sites: list pages read by general rules (listing.py), the links
to notices picked by the parser's title patterns, each captured through notices.capture (run.py),
politely across workers (capture's DatabaseGate); sources watched on a schedule (models.py, tasks.py)."""
