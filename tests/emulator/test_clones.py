"""Two clones on one machine: scripts/emulator keeps one emulator per clone, each with its own state
directory and port, so neither clone's start, status or stop reaches the other's emulator.

The first clone is this repository, the second a copy of its scripts/ (all scripts/emulator needs:
itself, install-emulator, versions.sh and iam_emulator/; the venv is in the per-user cache). Both
run with one private TMPDIR, as two clones of one user do, which also keeps a developer's own
emulator of this clone out of reach.
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import boto3
import pytest
from botocore.config import Config

from conftest import REPO


@dataclass
class Started:
    url: str
    pid: int
    state: Path


class Clones:
    """Runs scripts/emulator of either clone with the shared private TMPDIR."""

    def __init__(self, base: Path) -> None:
        self.tmpdir = base / "tmp"
        self.tmpdir.mkdir()
        self.first = REPO
        self.second = base / "second-clone"
        shutil.copytree(
            REPO / "scripts", self.second / "scripts", ignore=shutil.ignore_patterns("__pycache__")
        )

    def run(self, clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(clone / "scripts" / "emulator"), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=60,
        )

    def shell(self, clone: Path, script: str) -> subprocess.CompletedProcess[str]:
        """Runs a bash script in the clone's directory, as a developer's shell there would."""
        return subprocess.run(
            ["bash", "-c", script], cwd=clone, env=self.env(), capture_output=True, text=True, timeout=120
        )

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("AWS_ENDPOINT_URL") and k != "PULUMI_IAM_LP_BACKEND_URL"
        }
        env["TMPDIR"] = str(self.tmpdir)
        return env

    def state(self, clone: Path) -> Path:
        """The state directory the clone's emulator should use: its uid and a hash of its path."""
        key = hashlib.sha256(f"{clone.resolve()}\n".encode()).hexdigest()[:12]
        return self.tmpdir / f"pulumi-iam-login-profile-emulator-{os.getuid()}-{key}"

    def start(self, clone: Path) -> Started:
        """Starts the clone's emulator on a free port (the default) and checks what it prints."""
        result = self.run(clone, "start")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == 5 and lines[0].startswith("AWS_ENDPOINT_URL_IAM="), result.stdout
        url = lines[0].split("=", 1)[1]
        assert result.stdout == endpoints(url)
        said = re.fullmatch(
            r"emulator: starting on port 0 \(log (.+)/emulator\.log\)\nemulator: running \(pid (\d+)\)\n",
            result.stderr,
        )
        assert said, result.stderr
        return Started(url, int(said[2]), Path(said[1]))

    def assert_running(self, clone: Path, started: Started) -> None:
        result = self.run(clone, "status")
        log = self.state(clone) / "emulator.log"
        assert (result.returncode, result.stdout, result.stderr) == (
            0,
            endpoints(started.url),
            f"emulator: running (pid {started.pid}, log {log})\n",
        )

    def assert_not_running(self, clone: Path) -> None:
        result = self.run(clone, "status")
        assert (result.returncode, result.stdout, result.stderr) == (3, "", "emulator: not running\n")

    def our_emulators(self) -> list[int]:
        """Pids of every emulator started with a state directory under our TMPDIR."""
        marker = f"PULUMI_IAM_LP_EMULATOR_STATE={self.tmpdir}/".encode()
        pids = []
        for entry in os.listdir("/proc"):
            try:
                environ = Path(f"/proc/{entry}/environ").read_bytes() if entry.isdigit() else b""
            except OSError:
                continue
            if any(variable.startswith(marker) for variable in environ.split(b"\0")):
                pids.append(int(entry))
        return pids


def endpoints(url: str) -> str:
    """What start and status print: the one URL for IAM, STS, CloudTrail and S3, then the backend
    URL on the state bucket, single-quoted for the shell."""
    return (
        f"AWS_ENDPOINT_URL_IAM={url}\nAWS_ENDPOINT_URL_STS={url}\nAWS_ENDPOINT_URL_CLOUDTRAIL={url}\n"
        f"AWS_ENDPOINT_URL_S3={url}\nPULUMI_IAM_LP_BACKEND_URL='{backend_url(url)}'\n"
    )


def backend_url(url: str) -> str:
    return (
        f"s3://pulumi-state?endpoint={url}&s3ForcePathStyle=true&region=us-east-1"
        "&response_checksum_validation=when_required"
    )


def iam(url: str):
    return boto3.client(
        "iam",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def user_names(url: str) -> list[str]:
    return [user["UserName"] for user in iam(url).list_users()["Users"]]


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie left for its parent to reap does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def clones() -> Iterator[Clones]:
    for tool, package in (("bash", "bash"), ("sha256sum", "coreutils")):
        if shutil.which(tool) is None:
            pytest.fail(f"scripts/emulator needs {tool} on PATH (Debian: apt-get install {package})")
    base = Path(tempfile.mkdtemp(prefix="emulator-clones-"))
    made = Clones(base)
    try:
        yield made
    finally:
        # Stop both the way a developer would, then end whatever a failed step left behind.
        for clone in (made.second, made.first):
            made.run(clone, "stop")
        for pid in made.our_emulators():
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(base)


def test_two_clones_run_two_emulators_and_stop_only_their_own(clones):
    first = clones.start(clones.first)
    # The second clone does not take the first's emulator for its own.
    clones.assert_not_running(clones.second)
    second = clones.start(clones.second)

    assert first.url.rsplit(":", 1)[1] != second.url.rsplit(":", 1)[1]
    assert first.pid != second.pid
    assert (first.state, second.state) == (clones.state(clones.first), clones.state(clones.second))
    assert first.state != second.state
    assert sorted(clones.tmpdir.iterdir()) == sorted([first.state, second.state])
    assert (first.state / "pid").read_text() == f"{first.pid}\n"
    assert (second.state / "pid").read_text() == f"{second.pid}\n"
    clones.assert_running(clones.first, first)
    clones.assert_running(clones.second, second)

    iam(first.url).create_user(UserName="only-in-the-first-clone")
    iam(second.url).create_user(UserName="only-in-the-second-clone")
    assert user_names(first.url) == ["only-in-the-first-clone"]
    assert user_names(second.url) == ["only-in-the-second-clone"]

    stopped = clones.run(clones.second, "stop")
    assert (stopped.returncode, stopped.stderr) == (0, f"emulator: stopped (pid {second.pid})\n")
    assert not alive(second.pid)
    clones.assert_not_running(clones.second)
    clones.assert_running(clones.first, first)
    assert user_names(first.url) == ["only-in-the-first-clone"]

    # A second stop in the second clone finds nothing of its own to stop.
    again = clones.run(clones.second, "stop")
    assert (again.returncode, again.stderr) == (0, "emulator: not running\n")
    clones.assert_running(clones.first, first)

    stopped = clones.run(clones.first, "stop")
    assert (stopped.returncode, stopped.stderr) == (0, f"emulator: stopped (pid {first.pid})\n")
    assert not alive(first.pid)
    clones.assert_not_running(clones.first)
    assert clones.our_emulators() == []


def test_a_port_the_other_clone_listens_on_is_refused_and_its_emulator_kept(clones):
    first = clones.start(clones.first)
    port = first.url.rsplit(":", 1)[1]

    refused = clones.run(clones.second, "start", "--port", port)

    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.splitlines()[-1] == (
        f"emulator: error: port {port} is in use (another clone's emulator or another program): "
        "pick another, or leave out --port for a free one"
    )
    clones.assert_not_running(clones.second)
    clones.assert_running(clones.first, first)
    assert clones.our_emulators() == [first.pid]


def test_a_clone_reached_through_a_symlink_is_the_same_clone(clones):
    link = clones.tmpdir.parent / "link-to-second-clone"
    link.symlink_to(clones.second)
    second = clones.start(clones.second)

    clones.assert_running(link, second)
    again = clones.run(link, "start")
    assert again.stdout == endpoints(second.url)
    log = clones.state(clones.second) / "emulator.log"
    assert again.stderr == f"emulator: already running (pid {second.pid}, log {log})\n"

    stopped = clones.run(link, "stop")
    assert stopped.stderr == f"emulator: stopped (pid {second.pid})\n"
    clones.assert_not_running(clones.second)


def test_the_backend_url_reaches_a_shell_whole(clones):
    """PULUMI_IAM_LP_BACKEND_URL holds ? and &: printed quoted, it reaches the shell whole, from the
    lines of scripts/emulator and from the exports of scripts/setup --print-env."""
    started = clones.start(clones.first)
    show = 'printf "%s\\n" "$AWS_ENDPOINT_URL_S3" "$(printenv PULUMI_IAM_LP_BACKEND_URL)"'
    exported = f"{started.url}\n{backend_url(started.url)}\n"

    every_line = clones.shell(clones.first, f'set -a; eval "$(scripts/emulator status)"; set +a; {show}')
    assert (every_line.returncode, every_line.stdout) == (0, exported), every_line.stderr

    setup = clones.shell(clones.first, f'eval "$(scripts/setup --print-env)"; {show}')
    assert (setup.returncode, setup.stdout) == (0, exported), setup.stderr

    # The form the docs show exports the first line only; the others, the URL whole among them,
    # are set in the shell itself, and nothing is run in the background.
    first_line = clones.shell(
        clones.first,
        'eval "export $(scripts/emulator status)"; echo "$PULUMI_IAM_LP_BACKEND_URL"; jobs -p',
    )
    assert (first_line.returncode, first_line.stdout) == (0, f"{backend_url(started.url)}\n")
    assert "emulator: running" in first_line.stderr
