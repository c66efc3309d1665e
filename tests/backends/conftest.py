"""Real backends for the cross-backend tests: a PostgreSQL server and a local Spark session.

PostgreSQL: the server named by ``ADOPTSCORE_TEST_POSTGRES_URL`` (CI's .ci/setup.d/20-postgres.sh
starts one and exports it); without it, a throwaway server is started in a temporary folder from
the system's PostgreSQL binaries, and the tests are skipped only when there are none.

Spark: one local session (2 threads, 2 shuffle partitions, no UI, ANSI mode on, so any division
left to Spark would fail the query) for the whole test run.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from adoptscore.engine.backends import adapter_for
from tests.needs import missing

POSTGRES_URL = "ADOPTSCORE_TEST_POSTGRES_URL"


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the postgres system user
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if os.environ.get(POSTGRES_URL):
        yield os.environ[POSTGRES_URL]
        return
    bindir = _postgres_bin()
    if bindir is None:
        missing("postgres", f"no PostgreSQL server: neither {POSTGRES_URL} is set nor initdb installed")
    folder = Path(tempfile.mkdtemp(prefix="adoptscore-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                    "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                                    "-o", options, "-w", "start"]), check=True, capture_output=True)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(postgres_url: str) -> Any:
    """An Ibis connection to the test server."""
    return ibis.connect(postgres_url)


@pytest.fixture(scope="session")
def spark() -> Any:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing("spark", "Spark needs Java 17 or later, and there is no java")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("adoptscore-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.ansi.enabled", "true").config("spark.driver.memory", "3g")
               .config("spark.sql.session.timeZone", "UTC").config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_ibis(spark: Any) -> Any:
    return ibis.pyspark.connect(spark)


def load(backend: Any, name: str, table: pa.Table) -> Any:
    """Put ``table`` on ``backend`` (PostgreSQL by COPY, Spark as a cached temporary view) and return
    the Ibis table there."""
    if backend.name == "pyspark":
        frame = backend._session.createDataFrame(table)
        frame.cache().createOrReplaceTempView(name)
        return backend.table(name)
    adapter_for(backend).load(name, table)
    return backend.table(name)


def assert_same(expected: pd.DataFrame, got: pd.DataFrame, what: str) -> None:
    """Same rows, same columns, text/ints/booleans exactly equal, doubles within 1e-9, nulls where nulls are."""
    assert list(got.columns) == list(expected.columns), what
    assert len(got) == len(expected), f"{what}: {len(got)} rows, expected {len(expected)}"
    for column in expected.columns:
        a, b = expected[column], got[column]
        assert (a.isna() == b.isna()).all(), f"{what}.{column}: nulls differ at {list(a.index[a.isna() != b.isna()][:5])}"
        known = a.notna()
        if pd.api.types.is_float_dtype(a):
            gap = (a[known].astype(float) - b[known].astype(float)).abs()
            assert gap.max() <= 1e-9 if len(gap) else True, f"{what}.{column}: off by {gap.max()}"
        else:
            differ = a[known].astype(str) != b[known].astype(str)
            assert not differ.any(), f"{what}.{column}: {list(zip(a[known][differ][:3], b[known][differ][:3]))}"
