# Java for Spark in local mode (tests/backends): PySpark 4 needs Java 17 or later. Sourced by .ci/test.
if ! skipping spark; then
  if ! command -v java >/dev/null 2>&1 || ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
    apt_install spark openjdk-17-jre-headless
  fi
  java -version 2>&1 | head -n 1 | sed 's/^/test setup: /'
fi
