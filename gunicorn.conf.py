"""gunicorn's settings for the archive (the Dockerfile runs `gunicorn -c gunicorn.conf.py`).

Sized for a 2-core machine. Each process runs several threads (gthread), so a few slow
requests (a long notice, a heavy search) hold a thread each, not a whole process, and the
rest of the site keeps answering; a request's database work is bounded by the statement
timeout in settings, well inside `timeout`. Environment variables override the numbers.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))  # 2 cores + 1: one process may wait on I/O
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# With gthread the worker's heartbeat does not wait for its requests, so this only catches
# a process that is stuck as a whole; a slow request ends at the database statement timeout.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# The search box takes 500 characters; URL-encoded, a CJK character is 9 bytes (%E4%BD%8E),
# so the query alone can be 4,500 bytes, past gunicorn's default request line of 4,094.
# 8,190 is gunicorn's largest finite limit: the longest query plus the filters a list page adds.
limit_request_line = 8190
# Recycle processes now and then, so a leak or a heavy request's memory does not stay for good.
# Not too often: a new process imports the site and reads its first pages' lists again (about
# 2 s of CPU), and at 2,000 requests each of three processes restarted every minute under 50
# readers, which showed in the slowest answers.
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
