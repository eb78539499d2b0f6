"""The JSON API's own parts: who is calling (deps), errors, and the models it speaks (schemas).
Its routes live in app/routes/api/, app/routes/agenda_api.py and app/routes/groups_api.py."""
