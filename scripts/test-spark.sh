#!/usr/bin/env bash
# Runs the Spark tests (glue-scripts/tests, pytest) on what scripts/setup-spark.sh installed: the
# Python of .venv and the jars of .cache/spark-jars. `npm test` runs it after jest; alone:
#   npm run test:spark                      # every Spark test
#   npm run test:spark -- -k runtime        # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=glue-scripts/glue-runtime.json
jars=.cache/spark-jars
missing() { printf 'test-spark: %s missing: run `npm run setup` first (scripts/setup-spark.sh)\n' "$1" >&2; exit 1; }
field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$runtime"; }

[ -x .venv/bin/python ] || missing ".venv (Python with pyspark and pytest)"
spark=$(field spark)
iceberg_jar="$jars/iceberg-spark-runtime-${spark%.*}_$(field scala)-$(field iceberg).jar"
[ -s "$iceberg_jar" ] || missing "$iceberg_jar"
compgen -G "$jars/sqlite-jdbc-*.jar" >/dev/null || missing "$jars/sqlite-jdbc-*.jar"

# -p no:cacheprovider: no .pytest_cache in the checkout.
exec .venv/bin/python -m pytest glue-scripts/tests -q -p no:cacheprovider "$@"
