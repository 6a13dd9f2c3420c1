"""``manage.py backup`` and ``manage.py restore``: the database and the uploaded media."""
