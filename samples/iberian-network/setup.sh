#!/usr/bin/env bash
# Creates the Iberian network's identities: the operator key, each lab's key, and the signed network registry.
# Idempotent: it creates what is missing and leaves what exists (keys are never overwritten, an unchanged
# registry is not signed again). Everything lands in samples/iberian-network/identity/, which git ignores:
# no private key of the sample is ever committed.
#   samples/iberian-network/setup.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# LABSPACE_BIN lets a test run this script from a copy of the sample folder
labspace="${LABSPACE_BIN:-$here/../../bin/labspace}"
out="$here/identity"
mkdir -p "$out"
# one JVM start per command: keep them quick
export JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"

key() { # key DIR NAME: generate DIR/NAME.key and .pub unless present
  if [ -f "$1/$2.key" ]; then
    echo "key $1/$2.key exists; kept"
  else
    "$labspace" keys generate --out "$1" --name "$2" | sed -n '1,4p'
  fi
}

key "$out/operator" operator
key "$out/lab-madrid" lab
key "$out/lab-lisbon" lab
key "$out/acme-ai" lab

draft="$out/registry.json"
"$labspace" network init --draft "$draft" --network iberian-ai-labs
# endpoints are the labs' DSP callback and public data addresses (see lab-*.properties)
"$labspace" network add-member --draft "$draft" --update --id lab-madrid --name "Madrid AI Lab" --country ES --type university \
  --accreditation ethics-board-approved \
  --dsp-endpoint http://127.0.0.1:19194/protocol --data-endpoint http://127.0.0.1:19291/public --key "$out/lab-madrid/lab.pub"
"$labspace" network add-member --draft "$draft" --update --id lab-lisbon --name "Lisbon Institute for AI Research" --country PT --type public-research \
  --accreditation ethics-board-approved \
  --dsp-endpoint http://127.0.0.1:29194/protocol --data-endpoint http://127.0.0.1:29291/public --key "$out/lab-lisbon/lab.pub"
"$labspace" network add-member --draft "$draft" --update --id acme-ai --name "ACME AI S.L." --country ES --type company \
  --dsp-endpoint http://127.0.0.1:31194/protocol --data-endpoint http://127.0.0.1:31291/public --key "$out/acme-ai/lab.pub"
"$labspace" network sign --draft "$draft" --key "$out/operator/operator.key" --out "$out/registry.jws"
"$labspace" network verify --registry "$out/registry.jws" --operator-key "$out/operator/operator.pub"
