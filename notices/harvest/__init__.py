"""Harvest whole columns of government sites. listing.py reads a column's list page by general rules:
the links on it, which of them lead to notices (the parser's title patterns), their dates, and the
list's other pages. The run that captures what it finds plugs in on the capture path (notices.capture)."""
