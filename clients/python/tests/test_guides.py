"""Every command in the guides runs, so the docs cannot rot.

The ```bash and ```python blocks of docs/guides/*.md run in order against the sample labs, in a fresh working folder
that sees the repository's bin/, samples/, connector/ and clients/. A block preceded by
``<!-- exercised by: PATH -->`` is not run here: PATH must exist and contain each of the block's commands (for
``bin/labspace``, its subcommand words). A block preceded by ``<!-- run with acme-ai stopped -->`` runs while the
sample's acme-ai connector is stopped, which is started again afterwards.
"""

import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SAMPLE, lab_process, restart_lab

GUIDES = sorted((ROOT / "docs" / "guides").glob("*.md"))
BLOCK = re.compile(r"(?:<!--\s*(?P<marker>[^>]*?)\s*-->\s*\n)?```(?P<lang>[a-z]*)\n(?P<body>.*?)```", re.S)


def blocks(guide):
    return [(m.group("marker") or "", m.group("lang"), m.group("body")) for m in BLOCK.finditer(guide.read_text())]


def commands(body):
    """The commands of a shell block: continuation lines joined, comments and blank lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", body)
    return [line.split("#")[0].strip() for line in joined.splitlines() if line.split("#")[0].strip()]


SUBCOMMANDS = {"agreement", "config", "keys", "network", "dataset", "policy", "researcher"}


def exercised(command, text):
    """Whether a file's text runs the command: its bin/labspace subcommand, or its first two words."""
    words = command.split()
    if words[0].endswith("labspace"):
        sub = [w for w in words[1:] if not w.startswith("-")]
        if sub[0] in SUBCOMMANDS:
            return re.search(r"\b%s\s+%s\b" % (re.escape(sub[0]), re.escape(sub[1])), text) is not None
        return re.search(r"labspace\"?\s+%s\b" % re.escape(sub[0]), text) is not None
    return " ".join(words[:2]) in text


def test_every_guide_has_commands_that_run():
    assert GUIDES, "no guides found"
    for guide in GUIDES:
        assert any(lang in ("bash", "python") and "exercised by" not in marker for marker, lang, _ in blocks(guide)), guide.name


def test_every_command_not_run_here_is_exercised_elsewhere():
    for guide in GUIDES:
        for marker, lang, body in blocks(guide):
            if not marker.startswith("exercised by:"):
                continue
            where = ROOT / marker.split(":", 1)[1].strip()
            assert where.is_file(), "%s names %s, which does not exist" % (guide.name, where)
            text = where.read_text()
            for command in commands(body):
                assert exercised(command, text), "%s: '%s' is not exercised by %s" % (guide.name, command, where)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    work = tmp_path_factory.mktemp("guides")
    for name in ("bin", "samples", "connector", "clients", "docs"):
        (work / name).symlink_to(ROOT / name)
    return work


@pytest.mark.parametrize("guide", GUIDES, ids=[g.stem for g in GUIDES])
def test_guide_runs(guide, network, researcher_key, workdir):
    env = dict(os.environ, LABSPACE_URL=network, LABSPACE_API_KEY=researcher_key,
               PATH=str(ROOT / ".venv" / "bin") + os.pathsep + os.environ.get("PATH", ""))
    for marker, lang, body in blocks(guide):
        if marker.startswith("exercised by:") or lang not in ("bash", "python"):
            continue
        stopped = marker == "run with acme-ai stopped"
        if stopped:
            _stop_acme()
        try:
            command = ["bash", "-euo", "pipefail", "-c", body] if lang == "bash" else [sys.executable, "-c", body]
            out = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
        finally:
            if stopped:
                _start_acme()
        assert out.returncode == 0, "%s: a %s block failed:\n%s\n--- stdout\n%s\n--- stderr\n%s" % (
            guide.name, lang, body, out.stdout[-3000:], out.stderr[-3000:])


def _stop_acme():
    pid = lab_process("acme-ai")
    assert pid, "acme-ai is not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + 60
    while time.time() < deadline and lab_process("acme-ai"):
        time.sleep(0.5)
    assert not lab_process("acme-ai"), "acme-ai did not stop"


def _start_acme():
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    restart_lab("acme-ai", java)
    deadline = time.time() + 180
    while time.time() < deadline:
        status = subprocess.run([str(ROOT / "bin" / "labspace"), "status", "--config", str(SAMPLE / "acme-ai.properties"), "--timeout", "3"],
                                capture_output=True, text=True)
        if status.returncode == 0:
            return
        time.sleep(1)
    pytest.fail("acme-ai did not come back after the backup")
