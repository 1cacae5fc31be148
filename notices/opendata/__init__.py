"""Open data: the read-only JSON API (/api/v1/), CSV downloads and Atom feeds of any selection.

selection.py is the one reader of a listing's query string (filters, q, scope, sort, paging)
for all three and for the list and search pages too (which forgive what open data refuses); units.py picks the problems and measures a search shows;
caching.py sets ETag, Last-Modified and Cache-Control; errors.py shapes a 400. api.py,
serializers.py and schema.py are the JSON endpoints (routed by api_urls.py),
csv_download.py and feeds.py the downloads and feeds (routed by urls.py).
Nothing below this package imports from it.
"""
