#!/usr/bin/env bash
# The Iberian AI lab network, the whole story with one command: three labs on this machine (lab-madrid, lab-lisbon,
# acme-ai), each with its own embedded PostgreSQL, keys and config, and one signed network registry.
#   samples/iberian-network/run.sh                 run the story; the labs stop at the end, what they stored stays
#   samples/iberian-network/run.sh --clean         start from nothing (deletes the sample's data and identities)
#   samples/iberian-network/run.sh --keep-running  leave the three labs running at the end; Ctrl-C stops them
# Exits 0 when every step passed, else 1 and names the step that failed. Lab logs: samples/iberian-network/data/logs/.
# Needs Java 17, Maven and Python 3.11 with venv; the researcher's Python client is installed into .venv from PyPI.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

clean=false
keep_running=false
for a in "$@"; do
  case "$a" in
    --clean) clean=true ;;
    --keep-running) keep_running=true ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$a' (use --clean, --keep-running or --help)" >&2; exit 2 ;;
  esac
done

labs=(lab-madrid lab-lisbon acme-ai)
data="$here/data"
out="$data/out"
labspace="$root/bin/labspace"
# one JVM per CLI command: start them quickly
export JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
total=13
number=0
current="preparing"
pids=()

step() {
  number=$((number + 1))
  current="$*"
  printf '\n[%d/%d] %s\n' "$number" "$total" "$*"
}

say() { printf '      %s\n' "$*"; }

# the arguments as a user would type them: quoted where the shell needs it
quoted() {
  local a words=()
  for a in "$@"; do
    if [[ "$a" =~ [^A-Za-z0-9_./=:,@+-] ]]; then words+=("\"$a\""); else words+=("$a"); fi
  done
  printf '%s' "${words[*]}"
}

# runs a command shown the way a user types it, indented under the step
cli() {
  printf '      $ bin/labspace %s\n' "$(quoted "$@")" | sed "s#$here/#samples/iberian-network/#g"
  "$labspace" "$@" 2>&1 | sed 's/^/        /'
  return "${PIPESTATUS[0]}"
}

config() { echo "$here/$1.properties"; }

stop_labs() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=()
}

finish() {
  local code=$?
  trap - EXIT INT TERM
  if [ "$code" -ne 0 ]; then
    printf '\nFAILED at step %d/%d: %s (exit %d). Lab logs: %s\n' "$number" "$total" "$current" "$code" "$data/logs" >&2
  fi
  if [ ${#pids[@]} -gt 0 ]; then
    echo "Stopping the labs; what they stored stays in $data for the next run."
    stop_labs
  fi
  exit "$code"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if $clean; then
  echo "--clean: deleting the sample's data and identities"
  rm -rf "$data" "$here/identity"
fi
mkdir -p "$data/logs" "$out"

step "building Labspace if the sources changed, and the researcher's Python client"
connector_jar="$(ls connector/target/connector-*-all.jar 2>/dev/null | head -n 1 || true)"
samples_jar="$(ls samples/target/samples-*.jar 2>/dev/null | grep -v -- '-sources' | head -n 1 || true)"
if [ -z "$connector_jar" ] || [ -z "$samples_jar" ] \
  || [ -n "$(find connector/src samples/src catalog/src dataplane/src policy/src pom.xml -newer "$samples_jar" -print -quit 2>/dev/null)" ]; then
  say "mvn -B -q package -DskipTests"
  mvn -B -q package -DskipTests
  connector_jar="$(ls connector/target/connector-*-all.jar | head -n 1)"
  samples_jar="$(ls samples/target/samples-*.jar | grep -v -- '-sources' | head -n 1)"
fi
say "connector: $connector_jar"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$python" -m venv .venv
fi
if ! .venv/bin/python -c 'import labspace, matplotlib, pandas' >/dev/null 2>&1; then
  say "pip install -e clients/python[pandas,notebook] (from PyPI)"
  .venv/bin/pip install -q -e "clients/python[pandas,notebook]"
fi

step "the network operator makes the keys and signs the registry of members (setup.sh)"
"$here/setup.sh" 2>&1 | sed 's/^/      /'

step "generating the synthetic datasets (deterministic; once, then kept)"
java -XX:+UseSerialGC -cp "$connector_jar:$samples_jar" org.labspace.samples.SampleData "$data/datasets"

step "starting the three labs: ${labs[*]}"
for lab in "${labs[@]}"; do
  if "$labspace" status --config "$(config "$lab")" --timeout 2 >/dev/null 2>&1; then
    echo "$lab is already running (another run.sh?): stop it first" >&2
    exit 1
  fi
done
for lab in "${labs[@]}"; do
  log="$data/logs/$lab.log"
  echo "=== $(date -u +%FT%TZ) run.sh starts $lab" >> "$log"
  # own session: Ctrl-C reaches this script, which stops the labs in order
  JAVA_OPTS="-XX:+UseSerialGC" LABSPACE_JAR="$root/$connector_jar" setsid "$labspace" run --config "$(config "$lab")" >> "$log" 2>&1 &
  pids+=("$!")
done
started=$SECONDS
for i in "${!labs[@]}"; do
  lab="${labs[$i]}"
  until answer="$("$labspace" status --config "$(config "$lab")" --timeout 3 2>&1)"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "$lab exited while starting; the end of its log:" >&2
      tail -n 30 "$data/logs/$lab.log" >&2
      exit 1
    fi
    if [ $((SECONDS - started)) -gt 240 ]; then
      echo "$lab did not answer within 240 s ($(printf '%s' "$answer" | tail -n 1)); the end of its log:" >&2
      tail -n 30 "$data/logs/$lab.log" >&2
      exit 1
    fi
    sleep 1
  done
  say "$lab is up after $((SECONDS - started)) s (log: data/logs/$lab.log)"
done

step "lab-madrid's policy officer applies its usage policies"
cli policy apply "$here/policies/members-research.yaml" --config "$(config lab-madrid)"
cli policy apply "$here/policies/clinical-iberian.yaml" --config "$(config lab-madrid)"

# add a dataset, or on a later run update it (its version stays while its files are the same)
dataset() {
  local lab="$1" id="$2"
  shift 2
  if "$labspace" dataset show "$id" --config "$(config "$lab")" >/dev/null 2>&1; then
    cli dataset update "$id" "$@" --config "$(config "$lab")"
  else
    cli dataset add --id "$id" "$@" --config "$(config "$lab")"
  fi
}

step "lab-madrid's administrator registers its datasets under them"
dataset lab-madrid air-quality --path "$data/datasets/lab-madrid/air-quality" --policy members-research \
  --title "Madrid air quality sensors (synthetic)" --keyword air --keyword pollution --keyword spain --license CC-BY-4.0 \
  --description "Hourly PM2.5, PM10 and NO2 at 50 stations, 2022-2024, partitioned by year; generated, no real measurements"
dataset lab-madrid clinical-sandbox --path "$data/datasets/lab-madrid/clinical-sandbox.parquet" --policy clinical-iberian \
  --title "Clinical sandbox (synthetic patients)" --keyword health --keyword clinical --license restricted \
  --description "5,000 synthetic patients with diagnoses; the personal-data columns are fake"

step "lab-lisbon publishes its energy grid data for every member, with attribution"
cli policy apply "$here/policies/energy-attribution.yaml" --config "$(config lab-lisbon)"
dataset lab-lisbon energy-grid --path "$data/datasets/lab-lisbon/energy-grid.parquet" --policy energy-attribution \
  --title "Portuguese energy grid load (synthetic)" --keyword energy --keyword grid --keyword portugal --license CC-BY-4.0 \
  --description "Hourly load and frequency at 40 substations, 2024"

step "the administrators issue research API keys: ana.silva at lab-lisbon, marc.vidal at acme-ai"
# a key is shown once; the sample keeps it under data/ (git-ignored) for the next run, as a researcher would
researcher_key() {
  local lab="$1" name="$2" file="$data/keys/$1-$2.key"
  mkdir -p "$data/keys"
  if [ -s "$file" ]; then
    say "$name's key from an earlier run: data/keys/$lab-$name.key"
  else
    printf '      $ bin/labspace researcher add %s --config samples/iberian-network/%s.properties\n' "$name" "$lab"
    local printed
    printed="$("$labspace" researcher add "$name" --config "$(config "$lab")")"
    (umask 077 && printf '%s\n' "$printed" | tail -n 1 > "$file")
    printf '%s\n' "$printed" | sed '$d' | sed 's/^/        /'
    say "(the key, printed once on the last line, is kept in data/keys/$lab-$name.key)"
  fi
}
researcher_key lab-lisbon ana.silva
researcher_key acme-ai marc.vidal

step "lab-lisbon and acme-ai read every member's catalog"
cli search --crawl air --column pm25 --config "$(config lab-lisbon)"
cli search --crawl clinical --config "$(config acme-ai)"

story() {
  .venv/bin/python "$here/story.py" "$@" --out "$out"
}

step "ana.silva (lab-lisbon) pulls air quality and the masked clinical sandbox into Arrow with the Python client"
story researcher --url http://127.0.0.1:29195/research --key-file "$data/keys/lab-lisbon-ana.silva.key"

step "marc.vidal (acme-ai, a company) asks for the clinical sandbox"
story refused --url http://127.0.0.1:31195/research --key-file "$data/keys/acme-ai-marc.vidal.key"

step "lab-madrid's policy officer revokes lab-lisbon's air-quality agreement; ana.silva's next pull is refused"
cli agreement granted --consumer lab-lisbon --dataset air-quality --config "$(config lab-madrid)"
# the active one for ana.silva's purpose (a later run also lists the agreements earlier runs revoked)
granted="$("$labspace" agreement granted --consumer lab-lisbon --dataset air-quality --config "$(config lab-madrid)" \
  | awk '$4 == "research.non-commercial" && $NF == "active" { print $1 }' | tail -n 1)"
[ -n "$granted" ] || { echo "lab-madrid lists no active air-quality agreement of lab-lisbon for research.non-commercial" >&2; exit 1; }
cli agreement revoke "$granted" --reason "the study's data management plan expired" --config "$(config lab-madrid)"
story revoked --url http://127.0.0.1:29195/research --key-file "$data/keys/lab-lisbon-ana.silva.key" \
  --agreement "$(cat "$out/lab-lisbon-air-quality.agreement")"

step "the audit logs of both sides"
say "lab-madrid (provider), its latest lines:"
cli audit --limit 12 --config "$(config lab-madrid)"
say "lab-lisbon (consumer), ana.silva's requests:"
cli audit --kind access --limit 8 --config "$(config lab-lisbon)"

printf '\nThe story ran to the end. Chart: %s\n' "$out/air-quality-pm25.png"
if $keep_running; then
  echo "The three labs keep running (--keep-running). Try:"
  echo "  bin/labspace search air --config samples/iberian-network/lab-lisbon.properties"
  echo "  bin/labspace agreement granted --config samples/iberian-network/lab-madrid.properties"
  echo "Stop them with Ctrl-C."
  while true; do
    sleep 3600 &
    wait $! || true
  done
fi
