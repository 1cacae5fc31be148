"""Open data: the read-only JSON API (/api/v1/), CSV downloads and Atom feeds of any selection.

selection.py reads a listing's query string (filters, q, scope, sort, paging) and checks it
in one place for all three; units.py picks the problems and measures a search shows;
caching.py sets ETag, Last-Modified and Cache-Control; errors.py shapes a 400. api.py,
serializers.py and schema.py are the JSON endpoints (routed by api_urls.py),
csv_download.py and feeds.py the downloads and feeds (routed by urls.py).
Nothing below this package imports from it.
"""
