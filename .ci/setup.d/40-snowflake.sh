# The Snowflake emulator (fakesnow, on the package index) for tests/backends/test_snowflake_sql.py,
# in its own virtual environment: its pins (SQLGlot ~=30.22, the connector) stay out of the product's. Reinstalled only
# when tests/backends/snowflake/requirements.txt changes. Sourced by .ci/test.
if ! skipping snowflake; then
  SF_VENV="${ADOPTSCORE_TEST_SNOWFLAKE_VENV:-.venv-snowflake}"
  SF_REQ=tests/backends/snowflake/requirements.txt
  SF_STAMP="$SF_VENV/.requirements"
  if ! [ -x "$SF_VENV/bin/python" ] || ! cmp -s "$SF_REQ" "$SF_STAMP"; then
    python3 -m venv --clear "$SF_VENV"
    "$SF_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$SF_REQ"
    cp "$SF_REQ" "$SF_STAMP"
  fi
  echo "test setup: fakesnow $("$SF_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("fakesnow"))') in $SF_VENV"
fi
