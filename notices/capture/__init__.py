"""Capture notices from the web: the archive's second way in, beside files.

    from notices.capture.fetch import Fetcher
    from notices.capture.store import capture

    with Fetcher() as fetcher:             # one per run: robots.txt read once per site
        result = capture(url, fetcher)     # a CaptureResult; never raises for a bad site

fetch.py       HTTP with timeouts, bounded retries and redirects, the size cap, robots.txt
politeness.py  one request at a time per host, a pause between them (a Gate; pass your own)
attachments.py the page, or the .docx/.pdf it links to, as the notice's file
store.py       capture(): unchanged / new version / new notice / another source, one transaction
versions.py    a notice's versions from its address, and what changed between them
warc.py        the HTTP exchanges as WARC records
(the Capture model is in notices/provenance.py)
"""
