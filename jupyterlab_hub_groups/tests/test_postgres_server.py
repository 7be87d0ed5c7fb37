"""The tests' own PostgreSQL server (tests/postgres.py): found where
Debian puts it, really running, and one database per test."""

import os

import sqlalchemy as sa

from .postgres import find_bin_dir


def make_programs(folder):
    folder.mkdir(parents=True)
    for name in ("initdb", "pg_ctl"):
        (folder / name).write_text("#!/bin/sh\n")
        os.chmod(folder / name, 0o755)


def test_the_newest_of_debians_versions_is_used(tmp_path):
    for version in ("9.6", "15", "17"):
        make_programs(tmp_path / version / "bin")
    (tmp_path / "18" / "bin").mkdir(parents=True)  # no server in it
    assert find_bin_dir(tmp_path, path="") == tmp_path / "17" / "bin"


def test_path_is_searched_else_nothing_is_found(tmp_path):
    assert find_bin_dir(tmp_path / "none", path="") is None
    make_programs(tmp_path / "bin")
    assert find_bin_dir(tmp_path / "none", path=str(tmp_path / "bin")) == tmp_path / "bin"


def test_each_test_gets_an_empty_database_on_the_loopback(postgres, postgres_url):
    assert postgres_url.startswith("postgresql+psycopg2://") and "@127.0.0.1:" in postgres_url
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as db:
            assert db.execute(sa.text("SHOW listen_addresses")).scalar() == "127.0.0.1"
            assert sa.inspect(db).get_table_names() == []
            db.execute(sa.text("CREATE TABLE mine (id INTEGER)"))
    finally:
        engine.dispose()
    assert (postgres.folder / f".s.PGSQL.{postgres.port}").exists(), "its socket is its own"
