"""A Django database backend: PostgreSQL, started from the pgserver wheel on first connection.

Used when DATABASE_URL is unset, so that a fresh machine needs nothing but Python. The
server keeps its data in settings.EMBEDDED_PGDATA (var/pgdata by default), listens on a
Unix socket only, and outlives the process that started it; the next process reuses it,
or starts it again if it died.
"""
