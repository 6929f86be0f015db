"""Fixtures for the emulator's own tests: one server per session, fresh state for every test.

Run with the emulator's venv: ``$(scripts/install-emulator --print-python) -m pytest tests/emulator``.
``IAM_EMULATOR_RAW=1`` starts the server with ``--raw`` (moto as it ships), to show that every
fidelity test fails without its correction.
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Iterator, Optional

import boto3
import pytest
from botocore.config import Config

REPO = Path(__file__).resolve().parents[2]
RAW = os.environ.get("IAM_EMULATOR_RAW") == "1"


class Emulator:
    def __init__(self, endpoint: str, backend_url: str) -> None:
        self.endpoint = endpoint
        # PULUMI_IAM_LP_BACKEND_URL as the server printed it: Pulumi's DIY backend on its bucket.
        self.backend_url = backend_url

    def control(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        """Calls the control API; answers (status, decoded JSON)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.endpoint}/_emulator/{path}", data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def configure(self, **settings: Any) -> None:
        status, body = self.control("POST", "config", settings)
        assert status == 200, body

    def calls(self) -> Any:
        return self.control("GET", "calls")[1]

    def client(
        self,
        attempts: int = 1,
        service: str = "iam",
        credentials: Optional[dict[str, str]] = None,
        region: str = "us-east-1",
    ) -> Any:
        """An IAM client (or one of ``service``) that makes one attempt (unless told) and skips
        botocore's own parameter checks, so the server's answer to a bad password is what the test
        sees; with the default account's keys, or with ``credentials`` (an assumed role's, or an
        IAM user's access key); signing for ``region``. S3 is addressed path-style, as the
        emulator serves it."""
        keys = credentials or {"AccessKeyId": "testing", "SecretAccessKey": "testing"}
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=keys.get("SessionToken"),
            config=Config(
                parameter_validation=False,
                retries={"mode": "standard", "total_max_attempts": attempts},
                s3={"addressing_style": "path"},
            ),
        )


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    command = [sys.executable, "-m", "iam_emulator.server", "--port", "0"]
    if RAW:
        command.append("--raw")
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("AWS_ENDPOINT_URL_IAM="), f"emulator did not start: {line!r}"
        url = line.split("=", 1)[1]
        rest = [process.stdout.readline().strip() for _ in range(4)]
        backend = (
            f"s3://pulumi-state?endpoint={url}&s3ForcePathStyle=true&region=us-east-1"
            "&response_checksum_validation=when_required"
        )
        assert rest == [
            f"AWS_ENDPOINT_URL_STS={url}",
            f"AWS_ENDPOINT_URL_CLOUDTRAIL={url}",
            f"AWS_ENDPOINT_URL_S3={url}",
            f"PULUMI_IAM_LP_BACKEND_URL={backend}",
        ]
        yield Emulator(url, backend)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def fresh(emulator: Emulator) -> None:
    status, _ = emulator.control("POST", "reset")
    assert status == 200


@pytest.fixture
def iam(emulator: Emulator) -> Any:
    return emulator.client()


def error_of(excinfo: Any) -> tuple[int, str, str]:
    """(HTTP status, Code, Message) of a botocore ClientError."""
    response = excinfo.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )
