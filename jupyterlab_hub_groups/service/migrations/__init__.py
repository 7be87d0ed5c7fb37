"""Alembic migrations of the requests' database (see ``..db``).

Run by the service at every start (``db.upgrade``, to the newest
revision); ``versions/`` holds one file per revision. To add one, from the
project: ``alembic -c <an alembic.ini whose script_location is this folder>
revision -m "..."``, then write its ``upgrade`` and ``downgrade`` by hand,
and test an upgrade of a database holding requests.
"""
