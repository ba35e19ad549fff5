"""Starts the sample network (lab-madrid, lab-lisbon and acme-ai, built from this repository, after the sample's story
ran once more) once per test session."""

import os
import pathlib
import signal
import subprocess
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "samples" / "iberian-network"
READY = "The three labs keep running"


def pytest_collection_modifyitems(items):
    """The API fuzzing (test_api_fuzz.py) runs last: it writes to the sample labs with made-up requests, and the other
    tests expect the labs as the sample's story left them."""
    items.sort(key=lambda item: item.get_closest_marker("fuzz") is not None)


# labs a test restarted by hand (the sample runner only stops the processes it started)
RESTARTED = []


@pytest.fixture(scope="session")
def network():
    """The running sample labs; yields lab-lisbon's research API URL. With LABSPACE_TEST_NETWORK=running the tests use
    sample labs already started with ``samples/iberian-network/run.sh --keep-running`` (quicker while developing)."""
    if os.environ.get("LABSPACE_TEST_NETWORK") == "running":
        yield "http://127.0.0.1:29195/research"
        return
    log = open(ROOT / "clients" / "python" / "sample-network.log", "w")
    process = subprocess.Popen([str(SAMPLE / "run.sh"), "--keep-running"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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
        for lab in RESTARTED:
            _stop(lab)
        _stop(process)
        log.close()


def _stop(process):
    if process.poll() is None:
        # run.sh stops the labs it started when it gets SIGTERM
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


def lab_process(name):
    """The PID of the running connector of a sample lab, found by its command line."""
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"run" in args and any(a.endswith(("%s.properties" % name).encode()) for a in args) and any(a.endswith(b".jar") for a in args):
            return int(entry.name)
    return None


def restart_lab(name, java):
    """Starts a sample lab's connector again the way the sample does, appending to its log; stopped with the network."""
    jar = sorted((ROOT / "connector" / "target").glob("connector-*-all.jar"))[0]
    log = open(SAMPLE / "data" / "logs" / ("%s.log" % name), "a")
    process = subprocess.Popen([java, "-XX:+UseSerialGC", "-jar", str(jar), "run", "--config", str(SAMPLE / ("%s.properties" % name))],
                               cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    RESTARTED.append(process)
    return process
