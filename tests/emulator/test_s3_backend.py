"""S3 on the emulator: the state bucket of Pulumi's DIY backend, S3 calls counted by operation,
faults in S3's own XML, and the real Pulumi CLI keeping its state there through them.

The CLI test needs ``pulumi`` and the YAML language host on PATH, as ``npm test`` puts them
(``eval "$(scripts/setup --print-env --language-hosts)"``).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError

from conftest import REPO, error_of

BUCKET = "pulumi-state"
ACCOUNT = "123456789012"
# A request signed for S3 as the SDKs sign it; moto does not check signatures, the emulator reads
# the scope.
S3_AUTH = (
    "AWS4-HMAC-SHA256 Credential=testing/20261207/us-east-1/s3/aws4_request, "
    "SignedHeaders=host, Signature=0"
)


@pytest.fixture
def s3(emulator):
    return emulator.client(service="s3")


def keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


# The state bucket


def test_the_state_bucket_is_made_at_start_and_no_call_is_counted_for_it():
    command = [sys.executable, "-m", "iam_emulator.server", "--port", "0"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().split("=", 1)[1]
        s3 = boto3.client(
            "s3",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(s3={"addressing_style": "path"}),
        )
        with urllib.request.urlopen(f"{url}/_emulator/calls", timeout=10) as response:
            before = json.loads(response.read())

        assert before == {"calls": {}, "faults": {}, "inFlight": 0}
        assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == [BUCKET]
        assert keys(s3) == []
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_reset_empties_the_state_bucket_and_keeps_it(emulator, s3):
    s3.put_object(Bucket=BUCKET, Key=".pulumi/meta.yaml", Body=b"version: 1\n")
    s3.create_bucket(Bucket="another")

    assert emulator.control("POST", "reset") == (200, {"reset": True})

    assert emulator.calls() == {"calls": {}, "faults": {}, "inFlight": 0}
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == [BUCKET]
    assert keys(s3) == []
    s3.put_object(Bucket=BUCKET, Key=".pulumi/meta.yaml", Body=b"version: 1\n")
    assert keys(s3) == [".pulumi/meta.yaml"]


# Call counts


def test_s3_calls_are_counted_by_operation_in_all_and_per_account(emulator, s3):
    s3.list_buckets()
    s3.head_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")
    s3.head_object(Bucket=BUCKET, Key="a.json")
    s3.get_object(Bucket=BUCKET, Key="a.json")["Body"].read()
    s3.copy_object(Bucket=BUCKET, Key="a.json.bak", CopySource={"Bucket": BUCKET, "Key": "a.json"})
    s3.list_objects_v2(Bucket=BUCKET, Prefix="a")
    s3.list_objects(Bucket=BUCKET, Prefix="")
    s3.get_bucket_versioning(Bucket=BUCKET)
    s3.put_object_tagging(Bucket=BUCKET, Key="a.json", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3.delete_object(Bucket=BUCKET, Key="a.json")
    s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "a.json.bak"}]})
    s3.create_bucket(Bucket="another")

    counted = {
        "ListBuckets": 1,
        "HeadBucket": 1,
        "PutObject": 1,
        "HeadObject": 1,
        "GetObject": 1,
        "CopyObject": 1,
        "ListObjectsV2": 1,
        "ListObjects": 1,
        "GetBucketVersioning": 1,
        "PutObjectTagging": 1,
        "DeleteObject": 1,
        "DeleteObjects": 1,
        "CreateBucket": 1,
    }
    assert emulator.calls() == {"calls": counted, "faults": {}, "inFlight": 0}
    assert emulator.control("GET", f"calls?accountId={ACCOUNT}")[1]["calls"] == counted
    assert emulator.control("GET", "calls?accountId=111111111111")[1]["calls"] == {}


def test_a_multipart_upload_is_counted_by_its_parts(emulator, s3):
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="big.json")["UploadId"]
    part = s3.upload_part(Bucket=BUCKET, Key="big.json", UploadId=upload, PartNumber=1, Body=b"{}")
    s3.complete_multipart_upload(
        Bucket=BUCKET,
        Key="big.json",
        UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]},
    )

    assert emulator.calls()["calls"] == {
        "CreateMultipartUpload": 1,
        "UploadPart": 1,
        "CompleteMultipartUpload": 1,
    }


# Faults


def test_s3_calls_get_faults_only_when_fault_actions_names_them(emulator, s3):
    emulator.configure(faultRate=1, faultKinds=["throttle"])

    s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")

    assert emulator.calls()["faults"] == {}


def test_throttling_is_s3s_slow_down_in_its_own_xml(emulator):
    emulator.configure(faultRate=1, faultKinds=["throttle"], faultActions=["PutObject"])
    request = urllib.request.Request(
        f"{emulator.endpoint}/{BUCKET}/a.json", b"{}" * 10_000, {"Authorization": S3_AUTH}, method="PUT"
    )

    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request, timeout=5)

    root = ET.fromstring(excinfo.value.read())
    assert (excinfo.value.code, excinfo.value.headers["Content-Type"]) == (503, "application/xml")
    assert root.tag == "Error"
    assert [(e.tag, e.text) for e in root][:2] == [
        ("Code", "SlowDown"),
        ("Message", "Please reduce your request rate."),
    ]
    assert [e.tag for e in root] == ["Code", "Message", "RequestId"]
    assert root.find("RequestId").text == excinfo.value.headers["x-amz-request-id"]
    assert emulator.calls() == {"calls": {"PutObject": 1}, "faults": {"Throttling": 1}, "inFlight": 0}


def test_an_sdk_reads_the_injected_errors_as_s3s(emulator, s3):
    emulator.configure(faultRate=1, faultKinds=["throttle", "5xx"], faultActions=["PutObject"])
    seen = set()
    for _ in range(12):
        with pytest.raises(ClientError) as excinfo:
            s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")
        seen.add(error_of(excinfo))

    assert seen == {
        (503, "SlowDown", "Please reduce your request rate."),
        (500, "InternalError", "We encountered an internal error. Please try again."),
        (503, "ServiceUnavailable", "Service is unable to handle request."),
    }
    counts = emulator.calls()
    assert counts["calls"] == {"PutObject": 12}
    assert set(counts["faults"]) == {"Throttling", "ServiceFailure", "ServiceUnavailable"}
    assert sum(counts["faults"].values()) == 12
    emulator.configure(faultRate=0)
    assert keys(s3) == []


def test_a_head_request_gets_the_status_and_no_body(emulator, s3):
    s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")
    emulator.configure(faultRate=1, faultKinds=["throttle"], faultActions=["HeadObject"])

    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=BUCKET, Key="a.json")

    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_a_dropped_put_stores_nothing(emulator, s3):
    emulator.configure(faultRate=1, faultKinds=["drop"], faultActions=["PutObject"])

    with pytest.raises(ConnectionClosedError):
        s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")

    assert emulator.calls()["faults"] == {"Dropped": 1}
    assert keys(s3) == []


def test_a_lost_put_stores_the_object_and_closes_the_connection(emulator, s3):
    emulator.configure(faultRate=1, faultKinds=["lost"], faultActions=["PutObject"])

    with pytest.raises(ConnectionClosedError):
        s3.put_object(Bucket=BUCKET, Key="a.json", Body=b'{"version": 3}')

    assert emulator.calls()["faults"] == {"Lost": 1}
    assert s3.get_object(Bucket=BUCKET, Key="a.json")["Body"].read() == b'{"version": 3}'


def test_latency_reaches_the_named_s3_operations(emulator, s3):
    emulator.configure(latencyMs=50, faultActions=["GetObject"])
    s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")
    s3.get_object(Bucket=BUCKET, Key="a.json")

    assert emulator.calls()["faults"] == {"Latency": 1}


def test_denied_actions_answer_s3s_access_denied(emulator, s3):
    emulator.configure(deniedActions=["PutObject"])

    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")

    assert error_of(excinfo) == (403, "AccessDenied", "Access Denied")
    assert emulator.calls()["faults"] == {"AccessDenied": 1}


def test_allowed_actions_never_restrict_s3(emulator, s3):
    emulator.configure(allowedActions=["iam:GetUser"])

    s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")

    assert keys(s3) == ["a.json"]


def test_s3_faults_leave_iam_calls_alone(emulator, iam, s3):
    emulator.configure(faultRate=1, faultKinds=["throttle"], faultActions=["PutObject"])

    iam.create_user(UserName="alice")
    with pytest.raises(ClientError, match="SlowDown"):
        s3.put_object(Bucket=BUCKET, Key="a.json", Body=b"{}")
    iam.get_user(UserName="alice")

    assert emulator.calls() == {
        "calls": {"CreateUser": 1, "PutObject": 1, "GetUser": 1},
        "faults": {"Throttling": 1},
        "inFlight": 0,
    }


# The real Pulumi CLI on the DIY backend

PROJECT = """name: s3-backend-check
runtime: yaml
config:
  greeting:
    type: string
outputs:
  greeting: ${greeting}
"""


class Cli:
    """Runs the Pulumi CLI in a project of its own, on the emulator's backend URL."""

    def __init__(self, emulator, work: Path) -> None:
        self.emulator = emulator
        self.project = work / "project"
        self.project.mkdir()
        (self.project / "Pulumi.yaml").write_text(PROJECT)
        # No developer's AWS settings or backend reach the run: only the emulator's.
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AWS_", "PULUMI_BACKEND_URL", "PULUMI_ACCESS_TOKEN"))
        }
        self.env.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_CONFIG_FILE=str(work / "aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(work / "aws-credentials"),
            PULUMI_BACKEND_URL=emulator.backend_url,
            PULUMI_CONFIG_PASSPHRASE="s3-backend-check",
            PULUMI_HOME=str(work / "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK="true",
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def ok(self, *args: str) -> str:
        """Runs a command that must succeed with no SDK warning; answers its stdout."""
        result = self.run(*args)
        assert (result.returncode, warnings(result)) == (0, []), result.stdout + result.stderr
        return result.stdout

    def up(self, greeting: str) -> tuple[subprocess.CompletedProcess[str], dict[str, int]]:
        """Sets the greeting, runs ``up``; answers the run and the S3 calls the up alone made."""
        self.ok("config", "set", "greeting", greeting)
        before = self.emulator.calls()["calls"]
        result = self.run("up", "--yes", "--skip-preview")
        return result, added(before, self.emulator.calls()["calls"])


@pytest.fixture
def cli(emulator, tmp_path):
    if shutil.which("pulumi") is None:
        pytest.fail(
            "the Pulumi CLI is not on PATH: run "
            '`eval "$(scripts/setup --print-env --language-hosts)"` first (npm test does)'
        )
    beside = Path(shutil.which("pulumi")).parent / "pulumi-language-yaml"
    if not beside.exists() and shutil.which("pulumi-language-yaml") is None:
        pytest.fail(
            "the YAML language host (pulumi-language-yaml) is neither beside the Pulumi CLI nor on "
            'PATH: run `eval "$(scripts/setup --print-env --language-hosts)"` first (npm test does)'
        )
    return Cli(emulator, tmp_path)


def warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The AWS SDK's warnings in a run's output ("SDK 2026/12/07 … WARN Response has no supported
    checksum…", printed on every state read when the SDK asks for checksums moto does not send)."""
    return [line for line in (result.stdout + result.stderr).splitlines() if " WARN " in line]


def added(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before.get(key, 0) for key in after if after[key] > before.get(key, 0)}


def test_the_cli_keeps_its_state_in_the_bucket_through_s3_faults(emulator, cli, s3):
    cli.ok("stack", "init", "dev")
    first, calls = cli.up("one")
    assert (first.returncode, warnings(first)) == (0, []), first.stdout + first.stderr

    # The state is in the bucket, where the DIY backend keeps it.
    stored = keys(s3)
    assert ".pulumi/meta.yaml" in stored
    assert ".pulumi/stacks/s3-backend-check/dev.json" in stored
    assert any(key.startswith(".pulumi/history/s3-backend-check/dev/") for key in stored)
    # What an up calls: a lock written, listed and deleted; the checkpoint read, backed up (copy)
    # and written; a history entry.
    assert set(calls) == {
        "ListObjectsV2",
        "GetObject",
        "HeadObject",
        "PutObject",
        "CopyObject",
        "DeleteObject",
    }

    # A clean up, to know how many PutObject calls an up makes.
    clean, calls = cli.up("two")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    puts = calls["PutObject"]

    # With 30 % of the state writes failing, the Go SDK retries each failed attempt and the up
    # succeeds (seed 1 draws one of each: SlowDown, InternalError, ServiceUnavailable).
    emulator.configure(faultRate=0.3, faultKinds=["throttle", "5xx"], faultActions=["PutObject"], seed=1)
    faulty, calls = cli.up("three")
    assert (faulty.returncode, warnings(faulty)) == (0, []), faulty.stdout + faulty.stderr
    faults = emulator.calls()["faults"]
    assert faults == {"Throttling": 1, "ServiceFailure": 1, "ServiceUnavailable": 1}
    assert calls["PutObject"] == puts + sum(faults.values())
    emulator.configure(faultRate=0)
    assert cli.ok("stack", "output", "greeting").strip() == "three"
    stored = s3.get_object(Bucket=BUCKET, Key=".pulumi/stacks/s3-backend-check/dev.json")
    checkpoint = json.loads(stored["Body"].read())
    stack = checkpoint["checkpoint"]["latest"]["resources"][0]
    assert (stack["type"], stack["outputs"]) == ("pulumi:pulumi:Stack", {"greeting": "three"})

    # When every attempt fails, the SDK gives up after 3 and the CLI says why. The first write of
    # an up is its lock (.pulumi/locks/…), so nothing else is tried and the state stays. The
    # second error, "Unknown", has no S3 call behind it: it is the CLI's own.
    emulator.configure(faultRate=1, faultKinds=["throttle"], faultActions=["PutObject"])
    failed, calls = cli.up("four")
    assert (failed.returncode, failed.stdout) == (1, "")
    assert re.fullmatch(
        r"error: 2 errors occurred:\n"
        r"    1\) operation error S3: PutObject, exceeded maximum number of attempts, 3, https "
        r"response error StatusCode: 503, RequestID: [0-9A-F]{16}, HostID: , api error SlowDown: "
        r"Please reduce your request rate\.\n"
        r"    2\) Unknown\n",
        failed.stderr,
    ), failed.stderr
    assert calls == {"ListObjectsV2": 3, "GetObject": 1, "HeadObject": 1, "PutObject": 3}
    emulator.configure(faultRate=0)
    assert cli.ok("stack", "output", "greeting").strip() == "three"
    again, _ = cli.up("four")
    assert again.returncode == 0, again.stdout + again.stderr
    assert cli.ok("stack", "output", "greeting").strip() == "four"


def test_without_response_checksum_validation_every_state_read_warns(emulator, cli):
    # Why the backend URL has response_checksum_validation=when_required: the AWS SDK for Go v2
    # asks for response checksums, which moto does not send, and warns on each read without one.
    cli.ok("stack", "init", "dev")
    cli.env["PULUMI_BACKEND_URL"] = emulator.backend_url.replace(
        "&response_checksum_validation=when_required", ""
    )

    result = cli.run("stack", "ls")

    assert result.returncode == 0, result.stderr
    said = warnings(result)
    assert said, result.stderr
    for line in said:
        assert re.fullmatch(
            r"SDK \d{4}/\d\d/\d\d \d\d:\d\d:\d\d WARN Response has no supported checksum\. "
            r"Not validating response payload\.",
            line,
        ), line
