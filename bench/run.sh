#!/usr/bin/env bash
# Labspace benchmark suites. Each prints RESULT and TARGET lines, writes bench/results/<suite>.json and its section of
# docs/benchmarks.md. Not part of CI: run them on a quiet machine and compare ratios.
#   bench/run.sh [--rows N] [--runs K]             the Arrow data plane (default 20,000,000 rows, 3 runs): local read,
#                                                   full, projected and filtered streams, loopback ceiling, provider RSS
#   bench/run.sh --suite catalog [--datasets N]     catalog at scale (default 10,000 datasets; about 10 minutes here)
#   bench/run.sh --suite notebook [--rows N] [--runs K]  the Python client: to_arrow against a local pyarrow read and stock
#                                                   EDC, to_pandas, iter_batches memory, research API access latency
#   bench/run.sh --suite load [--rows N] [--runs K] [--soak-minutes M] [--streams S] [--catalog-requests C]
#                              [--access-requests A] [--soak-concurrency W] [--lab-setting KEY=VALUE]... [--only streams]
#                                                   load and soak (defaults 2,000,000 rows, 3 runs, 10 minutes, 16 streams,
#                                                   100 catalog and 50 access requests at once, 4 researchers in the soak;
#                                                   about 25 minutes; --lab-setting for tuning experiments, both labs):
#                                                   writes bench/results/load.json and docs/reliability.md, exits 1 on a
#                                                   missed target. Smoke run: --rows 200000 --runs 1 --soak-minutes 1; --only streams runs the 16 streams alone and writes nothing
#   bench/negotiation-latency                        contract negotiation latency against stock EDC polling
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
suite="dataplane"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) suite="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$suite" in
  dataplane) main=org.labspace.bench.DataPlaneBench ;;
  catalog) main=org.labspace.bench.CatalogBench ;;
  notebook) main=org.labspace.bench.NotebookBench ;;
  load) main=org.labspace.bench.LoadBench ;;
  *) echo "usage: bench/run.sh [--suite dataplane] [--rows N] [--runs K] | bench/run.sh --suite catalog [--datasets N] | bench/run.sh --suite notebook [--rows N] [--runs K] | bench/run.sh --suite load [--rows N] [--runs K] [--soak-minutes M] [--streams S] [--catalog-requests C] [--access-requests A] [--soak-concurrency W] [--lab-setting KEY=VALUE] [--only streams]" >&2; exit 2 ;;
esac
if [ "$suite" = notebook ]; then
  # the researcher's client, installed from this checkout as bin/test does
  [ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
  .venv/bin/pip install -q -e "clients/python[test]"
  args+=(--python .venv/bin/python)
fi
mvn -B -q package -DskipTests
# run from copies: a rebuild while a long suite runs must not change the classes under the running labs
copies="$(mktemp -d "${TMPDIR:-/tmp}/labspace-bench-jars.XXXXXX")"
trap 'rm -rf "$copies"' EXIT
cp "$(ls connector/target/connector-*-all.jar | head -n 1)" "$copies/connector.jar"
cp "$(ls bench/target/bench-*.jar | head -n 1)" "$copies/bench.jar"
connector_jar="$copies/connector.jar"
bench_jar="$copies/bench.jar"
java -XX:+UseSerialGC --add-opens=java.base/java.nio=ALL-UNNAMED -Dlabspace.connector.jar="$connector_jar" \
  -cp "$connector_jar:$bench_jar" "$main" "${args[@]}"
