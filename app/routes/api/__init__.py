"""The JSON API's routes under /api/v1: bearer tokens, no cookies, the same services as the
pages. Put together, with their error handlers, by app/api_app.py."""
