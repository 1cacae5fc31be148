"""The open-data API (/api/v1/): read-only JSON over the same filters and search as the web pages.

params.py checks the query parameters that the API, the CSV exports and the feeds share;
units.py picks the problems and measures a search shows; caching.py sets ETag,
Last-Modified and Cache-Control; views.py and serializers.py are the endpoints.
"""
