#!/usr/bin/env bash
# Stock EDC 0.13.0 baseline: move one file provider -> consumer with HttpData-PULL.
#
#   bench/edc-baseline/baseline.sh FILE
#
# Builds target/edc-baseline-0.13.0.jar if missing, starts a provider and a consumer
# connector (in-memory stores, iam-mock) plus python3 -m http.server (the asset's source)
# on free loopback ports, runs the Management API sequence with curl, downloads FILE through
# the provider's public data-plane endpoint with the EDR the consumer received, checks it with
# cmp, and prints on stdout:
#   BASELINE_SECONDS <transfer request .. last byte downloaded>
#   BASELINE_DOWNLOAD_SECONDS <the data GET alone>
#   BASELINE_BYTES <n>
# plus a few BASELINE_*_SECONDS detail lines. Progress goes to stderr.
# Every process it starts is stopped by PID and the temp dir removed on exit
# (KEEP_WORK=1 keeps the temp dir with configs and logs). Every wait has a deadline.
#
# Env: JAVA (default java), EDC_BASELINE_JAVA_OPTS (extra JVM options, default none),
#      STARTUP_TIMEOUT (s, default 120), STEP_TIMEOUT (s, default 60),
#      DOWNLOAD_TIMEOUT (s, default 900), BUILD_TIMEOUT (s, default 1200).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ] || [ ! -r "$1" ]; then
    echo "usage: $0 FILE   (a readable regular file)" >&2
    exit 2
fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC_DIR=$(dirname "$SRC")
SRC_NAME=$(basename "$SRC")
JAR=$HERE/target/edc-baseline-0.13.0.jar
JAVA=${JAVA:-java}
JAVA_OPTS=${EDC_BASELINE_JAVA_OPTS:-}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}
STEP_TIMEOUT=${STEP_TIMEOUT:-60}
DOWNLOAD_TIMEOUT=${DOWNLOAD_TIMEOUT:-900}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-1200}

for tool in curl jq openssl python3 cmp timeout "$JAVA"; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S.%3N)" "$*" >&2; }
now() { date +%s.%N; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---------------------------------------------------------------- temp dir and cleanup
WORK=$(mktemp -d /tmp/edc-baseline.XXXXXX)
PIDS=()
OK=0

stop_all() {   # TERM every started PID, wait up to 15 s in total, then KILL what is left
    local pid i alive
    for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for i in $(seq 1 150); do
        alive=0
        for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
        { kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null; } || true
        wait "$pid" 2>/dev/null || true
    done
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [ "$OK" != 1 ]; then
        for f in "$WORK"/provider.log "$WORK"/consumer.log; do
            [ -f "$f" ] && { echo "---- tail of $(basename "$f")" >&2; tail -n 40 "$f" >&2; }
        done
    fi
    stop_all
    if [ "${KEEP_WORK:-0}" = 1 ]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- build
if [ ! -f "$JAR" ]; then
    log "building $JAR"
    timeout "$BUILD_TIMEOUT" mvn -B -q -f "$HERE/pom.xml" clean package -DskipTests >&2 \
        || fail "maven build"
fi

# ---------------------------------------------------------------- ports and keys
# 11 free loopback ports: 5 per connector + 1 for the source http server
read -r -a PORTS <<<"$(python3 - <<'EOF'
import socket
socks = []
for _ in range(11):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
)"
[ "${#PORTS[@]}" -eq 11 ] || fail "could not reserve ports"
SRC_PORT=${PORTS[10]}

# EC P-256 key pair per connector, used to sign/verify the EDR access tokens.
for side in provider consumer; do
    openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/$side-key.pem" 2>/dev/null
    openssl ec -in "$WORK/$side-key.pem" -pubout -out "$WORK/$side-pub.pem" 2>/dev/null
done

# write_config SIDE BASE_INDEX
write_config() {
    local side=$1 i=$2
    local p_default=${PORTS[$i]} p_mgmt=${PORTS[$((i + 1))]} p_proto=${PORTS[$((i + 2))]}
    local p_ctrl=${PORTS[$((i + 3))]} p_pub=${PORTS[$((i + 4))]}
    local pem
    pem=$(awk '{ printf "%s\\n", $0 }' "$WORK/$side-key.pem")
    cat >"$WORK/$side.properties" <<EOF
edc.participant.id=$side
edc.component.id=$side
edc.hostname=127.0.0.1
web.http.port=$p_default
web.http.path=/api
web.http.management.port=$p_mgmt
web.http.management.path=/management
web.http.protocol.port=$p_proto
web.http.protocol.path=/protocol
web.http.control.port=$p_ctrl
web.http.control.path=/control
web.http.public.port=$p_pub
web.http.public.path=/public
edc.dsp.callback.address=http://127.0.0.1:$p_proto/protocol
edc.dataplane.api.public.baseurl=http://127.0.0.1:$p_pub/public
edc.transfer.proxy.token.signer.privatekey.alias=edr-signer-key
edc.transfer.proxy.token.verifier.publickey.alias=edr-verifier-key
edr-signer-key=$pem
edc.iam.publickeys.edr.id=edr-verifier-key
edc.iam.publickeys.edr.path=$WORK/$side-pub.pem
EOF
}
write_config provider 0
write_config consumer 5

P_MGMT=http://127.0.0.1:${PORTS[1]}/management
P_DSP=http://127.0.0.1:${PORTS[2]}/protocol
C_MGMT=http://127.0.0.1:${PORTS[6]}/management

# ---------------------------------------------------------------- start processes
log "source http.server on 127.0.0.1:$SRC_PORT serving $SRC_DIR"
python3 -m http.server --bind 127.0.0.1 --directory "$SRC_DIR" "$SRC_PORT" \
    >"$WORK/http-server.log" 2>&1 &
PIDS+=($!)

T_BOOT=$(now)
for side in provider consumer; do
    # shellcheck disable=SC2086
    "$JAVA" $JAVA_OPTS -Dedc.fs.config="$WORK/$side.properties" -jar "$JAR" \
        >"$WORK/$side.log" 2>&1 &
    PIDS+=($!)
    eval "${side}_PID=$!"
done

wait_ready() {   # wait_ready SIDE PID
    local side=$1 pid=$2 deadline=$((SECONDS + STARTUP_TIMEOUT))
    until grep -q "Runtime .* ready" "$WORK/$side.log" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || fail "$side exited during start-up"
        [ $SECONDS -lt $deadline ] || fail "$side not ready after ${STARTUP_TIMEOUT}s"
        sleep 0.2
    done
}
wait_ready provider "$provider_PID"
wait_ready consumer "$consumer_PID"
SRC_URL="http://127.0.0.1:$SRC_PORT/$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SRC_NAME")"
deadline=$((SECONDS + STEP_TIMEOUT))
until curl -sf -o /dev/null --max-time 5 -I "$SRC_URL"; do
    [ $SECONDS -lt $deadline ] || fail "source http.server not answering"
    sleep 0.2
done
T_READY=$(now)
log "both connectors ready after $(diff_s "$T_BOOT" "$T_READY") s"

# ---------------------------------------------------------------- management API helpers
CTX='"@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"}'

api() {   # api METHOD URL [BODY]  -> response body on stdout; fails on non-2xx
    local method=$1 url=$2 body=${3:-} code
    if [ -n "$body" ]; then
        code=$(curl -sS --max-time 30 -o "$WORK/resp.json" -w '%{http_code}' -X "$method" \
            -H 'Content-Type: application/json' --data-binary "$body" "$url") || fail "$method $url: curl error"
    else
        code=$(curl -sS --max-time 30 -o "$WORK/resp.json" -w '%{http_code}' -X "$method" "$url") \
            || fail "$method $url: curl error"
    fi
    case "$code" in
        2??) cat "$WORK/resp.json" ;;
        *) log "$method $url -> HTTP $code: $(head -c 2000 "$WORK/resp.json")"; return 1 ;;
    esac
}

ASSET_ID=baseline-asset
POLICY_ID=baseline-policy
CONTRACT_DEF_ID=baseline-contract-definition

# ---------------------------------------------------------------- provider setup
api POST "$P_MGMT/v3/assets" "{ $CTX, \"@id\": \"$ASSET_ID\",
  \"properties\": {\"name\": \"$SRC_NAME\", \"contenttype\": \"application/octet-stream\"},
  \"dataAddress\": {\"type\": \"HttpData\", \"baseUrl\": \"$SRC_URL\"} }" >/dev/null || fail "create asset"
api POST "$P_MGMT/v3/policydefinitions" "{ $CTX, \"@id\": \"$POLICY_ID\",
  \"policy\": {\"@context\": \"http://www.w3.org/ns/odrl.jsonld\", \"@type\": \"Set\",
               \"permission\": [], \"prohibition\": [], \"obligation\": []} }" >/dev/null || fail "create policy"
api POST "$P_MGMT/v3/contractdefinitions" "{ $CTX, \"@id\": \"$CONTRACT_DEF_ID\",
  \"accessPolicyId\": \"$POLICY_ID\", \"contractPolicyId\": \"$POLICY_ID\", \"assetsSelector\": [] }" >/dev/null \
    || fail "create contract definition"
log "provider: asset, policy, contract definition created"

# ---------------------------------------------------------------- consumer: catalog
T_CAT=$(now)
CATALOG=$(api POST "$C_MGMT/v3/catalog/request" "{ $CTX, \"@type\": \"CatalogRequest\",
  \"counterPartyAddress\": \"$P_DSP\", \"counterPartyId\": \"provider\",
  \"protocol\": \"dataspace-protocol-http\" }") || fail "catalog request"
OFFER_ID=$(jq -r --arg a "$ASSET_ID" '
  [.["dcat:dataset"]] | flatten | map(select(.["@id"] == $a)) | .[0]["odrl:hasPolicy"]
  | if type == "array" then .[0] else . end | .["@id"] // empty' <<<"$CATALOG")
[ -n "$OFFER_ID" ] || fail "no offer for $ASSET_ID in catalog: $(head -c 2000 <<<"$CATALOG")"
T_CAT_DONE=$(now)
log "catalog: offer $OFFER_ID ($(diff_s "$T_CAT" "$T_CAT_DONE") s)"

# ---------------------------------------------------------------- consumer: negotiation
T_NEG=$(now)
NEG_ID=$(api POST "$C_MGMT/v3/contractnegotiations" "{ $CTX, \"@type\": \"ContractRequest\",
  \"counterPartyAddress\": \"$P_DSP\", \"protocol\": \"dataspace-protocol-http\",
  \"policy\": {\"@context\": \"http://www.w3.org/ns/odrl.jsonld\", \"@id\": \"$OFFER_ID\",
               \"@type\": \"Offer\", \"assigner\": \"provider\", \"target\": \"$ASSET_ID\"} }" \
    | jq -r '.["@id"]') || fail "start negotiation"
deadline=$((SECONDS + STEP_TIMEOUT))
while :; do
    NEG=$(api GET "$C_MGMT/v3/contractnegotiations/$NEG_ID") || fail "poll negotiation"
    STATE=$(jq -r '.state' <<<"$NEG")
    [ "$STATE" = FINALIZED ] && break
    [ "$STATE" = TERMINATED ] && fail "negotiation terminated: $(jq -c '.errorDetail' <<<"$NEG")"
    [ $SECONDS -lt $deadline ] || fail "negotiation still $STATE after ${STEP_TIMEOUT}s"
    sleep 0.1
done
AGREEMENT_ID=$(jq -r '.contractAgreementId' <<<"$NEG")
T_NEG_DONE=$(now)
log "negotiation $NEG_ID FINALIZED, agreement $AGREEMENT_ID ($(diff_s "$T_NEG" "$T_NEG_DONE") s)"

# ---------------------------------------------------------------- consumer: transfer (HttpData-PULL)
T_TP=$(now)
TP_ID=$(api POST "$C_MGMT/v3/transferprocesses" "{ $CTX, \"@type\": \"TransferRequest\",
  \"counterPartyAddress\": \"$P_DSP\", \"protocol\": \"dataspace-protocol-http\",
  \"contractId\": \"$AGREEMENT_ID\", \"transferType\": \"HttpData-PULL\" }" \
    | jq -r '.["@id"]') || fail "start transfer"
deadline=$((SECONDS + STEP_TIMEOUT))
while :; do
    TP=$(api GET "$C_MGMT/v3/transferprocesses/$TP_ID") || fail "poll transfer"
    STATE=$(jq -r '.state' <<<"$TP")
    [ "$STATE" = STARTED ] && break
    case "$STATE" in TERMINATED | COMPLETED | SUSPENDED | DEPROVISIONED)
        fail "transfer $STATE: $(jq -c '.errorDetail' <<<"$TP")" ;;
    esac
    [ $SECONDS -lt $deadline ] || fail "transfer still $STATE after ${STEP_TIMEOUT}s"
    sleep 0.1
done
T_TP_STARTED=$(now)
log "transfer $TP_ID STARTED ($(diff_s "$T_TP" "$T_TP_STARTED") s)"

# ---------------------------------------------------------------- consumer: EDR
deadline=$((SECONDS + STEP_TIMEOUT))
until EDR=$(api GET "$C_MGMT/v3/edrs/$TP_ID/dataaddress" 2>/dev/null); do
    [ $SECONDS -lt $deadline ] || fail "no EDR for $TP_ID after ${STEP_TIMEOUT}s"
    sleep 0.1
done
EDC_NS=https://w3id.org/edc/v0.0.1/ns/
ENDPOINT=$(jq -r --arg ns "$EDC_NS" '.endpoint // .[$ns + "endpoint"] // empty' <<<"$EDR")
TOKEN=$(jq -r --arg ns "$EDC_NS" '.authorization // .[$ns + "authorization"] // empty' <<<"$EDR")
[ -n "$ENDPOINT" ] && [ -n "$TOKEN" ] || fail "EDR without endpoint/authorization: $EDR"
T_EDR=$(now)
log "EDR: endpoint $ENDPOINT ($(diff_s "$T_TP_STARTED" "$T_EDR") s after STARTED)"

# ---------------------------------------------------------------- data GET
OUT=$WORK/download.bin
T_DL=$(now)
CODE=$(curl -sS --max-time "$DOWNLOAD_TIMEOUT" -o "$OUT" -w '%{http_code}' \
    -H "Authorization: $TOKEN" "$ENDPOINT") || fail "data GET: curl error"
T_DL_DONE=$(now)
[ "$CODE" = 200 ] || fail "data GET -> HTTP $CODE: $(head -c 2000 "$OUT")"
cmp -s "$SRC" "$OUT" || fail "downloaded file differs from $SRC"
BYTES=$(stat -c %s "$OUT")
log "downloaded $BYTES bytes, identical to source"

echo "BASELINE_SECONDS $(diff_s "$T_TP" "$T_DL_DONE")"
echo "BASELINE_DOWNLOAD_SECONDS $(diff_s "$T_DL" "$T_DL_DONE")"
echo "BASELINE_BYTES $BYTES"
echo "BASELINE_STARTUP_SECONDS $(diff_s "$T_BOOT" "$T_READY")"
echo "BASELINE_CATALOG_SECONDS $(diff_s "$T_CAT" "$T_CAT_DONE")"
echo "BASELINE_NEGOTIATION_SECONDS $(diff_s "$T_NEG" "$T_NEG_DONE")"
echo "BASELINE_TRANSFER_START_SECONDS $(diff_s "$T_TP" "$T_TP_STARTED")"
echo "BASELINE_EDR_SECONDS $(diff_s "$T_TP_STARTED" "$T_EDR")"
OK=1
