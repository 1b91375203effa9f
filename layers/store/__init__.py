"""The database of reported values and statuses: SQLAlchemy models (models.py), the engine and
its migrations (db.py, migrations/), and the records with their audit trail (records.py).

SQLite in ``HARBOR_DATA_DIR`` by default; PostgreSQL (or any SQLAlchemy URL) from
``HARBOR_DB_URL``. It knows ids, years and users, not what a target means: that is
layers/progress.py's job."""
