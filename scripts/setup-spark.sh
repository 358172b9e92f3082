#!/usr/bin/env bash
# Installs what the Spark side of Lakeworks needs on this machine, exactly at the versions of the
# Glue release the curation jobs declare (glue-scripts/glue-runtime.json):
#   .venv/                 Python with pyspark, pytest and duckdb (glue-scripts/requirements.txt)
#   .cache/spark-jars/     the Iceberg Spark runtime, the SQLite JDBC driver of the local catalog,
#                          and the PostgreSQL JDBC driver of the database-source tests
#   PostgreSQL             from Debian's packages when missing (as root), for those tests
# Idempotent: a second run only checks. Used by `.ci/run`, the GitHub workflow, the pipeline's synth
# step and `npm run setup`.
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=glue-scripts/glue-runtime.json
fail() { printf 'setup-spark: %s\n' "$1" >&2; exit 1; }

python_bin=${PYTHON:-python3}
command -v "$python_bin" >/dev/null || fail "Python not found; install Python $(sed -n 's/.*"python": "\(.*\)".*/\1/p' $runtime) (the Glue runtime's) and retry, or set PYTHON"
want_python=$("$python_bin" -c "import json; print(json.load(open('$runtime'))['python'])")
have_python=$("$python_bin" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
[ "$have_python" = "$want_python" ] || fail "$python_bin is Python $have_python; Glue runs Python $want_python: install it and set PYTHON=python$want_python"

read_runtime() { "$python_bin" -c "import json; print(json.load(open('$runtime'))['$1'])"; }
want_java=$(read_runtime java)
command -v java >/dev/null || fail "Java not found; Spark needs a JDK $want_java (for example: apt-get install openjdk-$want_java-jdk-headless)"
have_java=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "$have_java" = "$want_java" ] || fail "java is version $have_java; Glue runs Java $want_java: install JDK $want_java and put it first on PATH (or set JAVA_HOME)"
command -v mvn >/dev/null || fail "Maven not found; it fetches the Iceberg runtime from Maven Central (for example: apt-get install maven)"

# The database-source tests run a PostgreSQL server on loopback, from the machine's PostgreSQL.
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    printf 'setup-spark: installing PostgreSQL from Debian packages (the database-source tests run one on loopback)\n'
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >/dev/null; } \
      || fail "could not install PostgreSQL with apt-get"
  else
    fail "PostgreSQL not found: install it (for example: sudo apt-get install postgresql); the database-source tests run a server on loopback"
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r glue-scripts/requirements.txt

spark=$(read_runtime spark)
scala=$(read_runtime scala)
iceberg=$(read_runtime iceberg)
installed_spark=$(.venv/bin/python -c 'import pyspark; print(pyspark.__version__)')
[ "$installed_spark" = "$spark" ] || fail "pyspark $installed_spark installed; glue-runtime.json says Spark $spark: make glue-scripts/requirements.txt agree"

jars=.cache/spark-jars
mkdir -p "$jars"
fetch() { # group artifact version
  local file="$jars/$2-$3.jar"
  [ -s "$file" ] && return 0
  local log
  log=$(mvn --batch-mode --quiet -Dstyle.color=never dependency:copy -Dartifact="$1:$2:$3" -DoutputDirectory="$jars" -Dmdep.overWriteReleases=false 2>&1) \
    || { printf '%s\n' "$log" >&2; fail "could not fetch $1:$2:$3 from Maven Central"; }
}
fetch org.apache.iceberg "iceberg-spark-runtime-${spark%.*}_$scala" "$iceberg"
# Local mode and the tests keep curated tables in an Iceberg JDBC catalog on SQLite, where AWS uses
# the Glue Data Catalog (glue-scripts/lakeworks_curation/session.py).
fetch org.xerial sqlite-jdbc 3.50.3.0
# The PostgreSQL JDBC driver: database sources read PostgreSQL through it (Glue ships its own).
fetch org.postgresql postgresql 42.7.8

printf 'setup-spark: Python %s, Java %s, Spark %s, Iceberg %s ready (.venv, %s)\n' "$have_python" "$have_java" "$spark" "$iceberg" "$jars"
