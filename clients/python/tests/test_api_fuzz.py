"""Fuzzes the three HTTP APIs a lab serves, from the OpenAPI documents the labs serve themselves (kept in docs/api),
with schemathesis against the running sample labs: no server error, no answer its own document does not allow (status,
content type, body), and nothing succeeds without credentials or with wrong ones.

The generation is deterministic (schemathesis' deterministic mode: no random seed, no example database) and bounded
(``EXAMPLES`` per operation and phase), so a failure here fails the same way again; schemathesis prints a curl command
for each. These tests run after every
other test of the session (see ``pytest_collection_modifyitems`` in conftest.py), because the admin fuzzing writes:
it may apply a policy made from a template or add a researcher at acme-ai. The admin API is fuzzed at acme-ai, which
provides no dataset and grants no agreement, so no made-up request can withdraw a dataset or revoke an agreement the
other tests or the next sample run use. schemathesis.toml keeps values read from responses out of the requests: with
them, the fuzzing revoked acme-ai's real researcher (marc.vidal, listed by ``GET /labspace/v1/researchers``); with
made-up names, ``DELETE /labspace/v1/researchers/{name}`` only ever meets researchers that do not exist."""

import pathlib
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
import yaml

from conftest import SAMPLE

pytestmark = pytest.mark.fuzz

# per operation and phase; 25 keeps the three documents under a minute on two cores (25, 14 and 10 s measured)
EXAMPLES = 25
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,ignored_auth"

CONFIG = pathlib.Path(__file__).with_name("schemathesis.toml")
ACME_ADMIN = "http://127.0.0.1:31193/management"
MADRID_PUBLIC = "http://127.0.0.1:19291/public"


def _setting(lab, key):
    for line in (SAMPLE / ("%s.properties" % lab)).read_text().splitlines():
        if line.startswith(key + "="):
            return line.split("=", 1)[1].strip()
    raise AssertionError("%s is not set in %s.properties" % (key, lab))


def _schemathesis(location, header, tmp_path, *options):
    """Runs ``schemathesis run`` and fails with its report unless it found nothing."""
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run", location, "--header", header, "--checks", CHECKS,
               "--max-examples", str(EXAMPLES), "--generation-deterministic",
               "--phases", "examples,coverage,fuzzing", "--workers", "1", "--request-timeout", "60", "--no-color",
               "--suppress-health-check", "all", *options]
    out = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    report = out.stdout + out.stderr
    assert out.returncode == 0, "schemathesis found problems:\n" + report[-20000:]
    generated = re.search(r"(\d+) generated", report)
    assert generated and int(generated.group(1)) > 0, report[-4000:]


def test_admin_api(network, tmp_path):
    key = _setting("acme-ai", "web.http.management.auth.key")
    _schemathesis(ACME_ADMIN + "/labspace/v1/openapi.yaml", "X-Api-Key: " + key, tmp_path)


def test_research_api(network, researcher_key, tmp_path):
    _schemathesis(network + "/v1/openapi.yaml", "Authorization: Bearer " + researcher_key, tmp_path)


@pytest.fixture()
def stream_token(lab):
    """A running transfer of lab-madrid's clinical sandbox (5,000 rows, with restrictions) for lab-lisbon's researcher."""
    access = lab.access("lab-madrid/clinical-sandbox", "research.evaluation", new_transfer=True)
    assert access["endpoint"] == MADRID_PUBLIC
    return access["token"]


def test_stream_endpoint(stream_token, tmp_path):
    _schemathesis(MADRID_PUBLIC + "/v1/openapi.yaml", "Authorization: Bearer " + stream_token, tmp_path)


@pytest.mark.parametrize("document, credentials", [
    (ACME_ADMIN + "/labspace/v1/openapi.yaml", {"X-Api-Key": "wrong-key-0000000000000000000000"}),
    ("http://127.0.0.1:29195/research/v1/openapi.yaml", {"Authorization": "Bearer lsr_wrong", "X-Api-Key": "lsr_wrong"}),
    (MADRID_PUBLIC + "/v1/openapi.yaml", {"Authorization": "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}),
], ids=["admin", "research", "stream"])
def test_every_operation_refuses_a_missing_or_wrong_credential(network, document, credentials):
    """Schemathesis' ignored_auth probes an operation only once a request to it succeeded; this asks every documented
    operation, whatever its inputs, without credentials and with wrong ones: each must answer 401."""
    if document.startswith(ACME_ADMIN):
        schema = yaml.safe_load(_get(document, {"X-Api-Key": _setting("acme-ai", "web.http.management.auth.key")})[1])
        base = ACME_ADMIN
    else:
        schema = yaml.safe_load(_get(document, {})[1])
        base = document.rsplit("/v1/", 1)[0]
    asked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters" or operation.get("security") == []:
                continue
            url = base + path.replace("{", "").replace("}", "")
            for headers in ({}, credentials):
                status, body = _call(method.upper(), url, headers)
                assert status == 401, "%s %s with %s answered %d: %s" % (method.upper(), path, headers or "no credentials", status, body[:300])
            asked += 1
    assert asked >= 2


def _get(url, headers):
    return _call("GET", url, headers)


def _call(method, url, headers):
    body = b"{}" if method in ("POST", "PUT") else None
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
