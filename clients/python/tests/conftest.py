"""Starts the sample network (lab-madrid and lab-lisbon, built from this repository) once per test session."""

import os
import pathlib
import signal
import subprocess
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "samples" / "iberian-network"
READY = "Both labs keep running"


@pytest.fixture(scope="session")
def network():
    """The running sample labs; yields lab-lisbon's research API URL."""
    log = open(ROOT / "clients" / "python" / "sample-network.log", "w")
    process = subprocess.Popen([str(SAMPLE / "run"), "--keep-running"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    lines = []
    ready = threading.Event()

    def follow():
        for line in process.stdout:
            log.write(line)
            log.flush()
            lines.append(line)
            if READY in line:
                ready.set()

    threading.Thread(target=follow, daemon=True).start()
    deadline = time.time() + 900
    while not ready.is_set() and process.poll() is None and time.time() < deadline:
        time.sleep(0.5)
    if not ready.is_set():
        _stop(process)
        pytest.fail("the sample network did not start:\n" + "".join(lines[-40:]))
    try:
        yield "http://127.0.0.1:29195/research"
    finally:
        _stop(process)
        log.close()


def _stop(process):
    if process.poll() is None:
        # the runner's shutdown hook stops both labs on SIGTERM
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def researcher_key(network):
    """A key for a researcher of lab-lisbon, issued the way a lab administrator does it."""
    name = "pytest-%d" % int(time.time() * 1000)
    out = subprocess.run([str(ROOT / "bin" / "labspace"), "researcher", "add", name, "--config", str(SAMPLE / "lab-lisbon.properties")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1].strip()


@pytest.fixture()
def lab(network, researcher_key):
    import labspace
    return labspace.connect(network, api_key=researcher_key)
