"""S3 on the emulator's port, for Pulumi's DIY state backend: the bucket, the backend URL, and the
names of S3 calls.

moto serves S3 path-style on the same port as IAM (it picks the service from the request's signing
scope). This module adds what the backend and the tests need around it:

- the state bucket ``pulumi-state`` in moto's default account, made at start and after every
  reset, straight in moto's backend (so that no call is counted for it);
- the backend URL that points the Pulumi CLI at it (``backend_url``);
- the S3 operation a request makes, named as S3's API reference names it, read from the method,
  the path, the query and one header (``operation``): never from the body, which holds a whole
  state file;
- ``discard_body``: an answer the emulator writes itself (an injected fault) first reads the
  request's body away unparsed, so that the client, still sending a state file, sees the answer
  rather than a connection reset.
"""

from typing import Any
from urllib.parse import parse_qs

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

STATE_BUCKET = "pulumi-state"
REGION = "us-east-1"

# What the DIY backend (gocloud.dev's s3blob on the AWS SDK for Go v2) needs for a custom endpoint,
# each checked on CLI 3.276.0 (see CONTRIBUTING.md): the endpoint; path-style addressing (else
# the SDK puts the bucket in the host name, bucket.127.0.0.1, which does not resolve); the
# Region (else the SDK has none to sign with, unless AWS_REGION is set); and response checksum
# validation only when an operation requires it (else every state read warns "Response has no
# supported checksum": the SDK asks for checksums that moto does not send).
_BACKEND_PARAMETERS = "s3ForcePathStyle=true&region=us-east-1&response_checksum_validation=when_required"

# S3's subresources: the query parameters that name an operation rather than qualify one.
_SUBRESOURCES = frozenset(
    (
        "accelerate acl analytics attributes cors delete encryption intelligent-tiering inventory "
        "legal-hold lifecycle location logging metrics notification object-lock ownershipControls "
        "policy policyStatus publicAccessBlock replication requestPayment restore retention "
        "select tagging torrent uploads versioning versions website"
    ).split()
)
# Where S3's name is not the method's verb and the subresource's name (GetBucketVersioning).
_NAMED = {
    ("GET", "bucket", "versions"): "ListObjectVersions",
    ("GET", "bucket", "uploads"): "ListMultipartUploads",
    ("POST", "bucket", "delete"): "DeleteObjects",
    ("POST", "object", "uploads"): "CreateMultipartUpload",
    ("POST", "object", "restore"): "RestoreObject",
    ("POST", "object", "select"): "SelectObjectContent",
}
_VERBS = {"GET": "Get", "PUT": "Put", "DELETE": "Delete", "HEAD": "Head", "POST": "Post"}


def create_state_bucket() -> None:
    """Makes the state bucket in moto's default account, unless it is there."""
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    if STATE_BUCKET not in backend.buckets:
        backend.create_bucket(STATE_BUCKET, REGION)


def backend_url(endpoint: str) -> str:
    """The PULUMI_BACKEND_URL of the state bucket on the emulator at ``endpoint``."""
    return f"s3://{STATE_BUCKET}?endpoint={endpoint}&{_BACKEND_PARAMETERS}"


def operation(environ: dict[str, Any]) -> str:
    """The S3 operation of a path-style request: ListObjectsV2, PutObject, CopyObject, …"""
    method = environ.get("REQUEST_METHOD", "GET")
    bucket, _, key = environ.get("PATH_INFO", "/").lstrip("/").partition("/")
    params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    copy = "HTTP_X_AMZ_COPY_SOURCE" in environ
    if not bucket:
        return "ListBuckets" if method == "GET" else f"{_VERBS.get(method, method)}Service"
    if key and "uploadId" in params:
        return {
            "GET": "ListParts",
            "POST": "CompleteMultipartUpload",
            "DELETE": "AbortMultipartUpload",
            "PUT": "UploadPartCopy" if copy else "UploadPart",
        }.get(method, f"{_VERBS.get(method, method)}MultipartUpload")
    level = "object" if key else "bucket"
    sub = next((name for name in params if name in _SUBRESOURCES), None)
    if sub is not None:
        camel = "".join(part[:1].upper() + part[1:] for part in sub.split("-"))
        return _NAMED.get((method, level, sub), f"{_VERBS.get(method, method)}{level.title()}{camel}")
    if level == "object":
        if method == "PUT":
            return "CopyObject" if copy else "PutObject"
        return f"{_VERBS.get(method, method)}Object"
    if method == "GET":
        return "ListObjectsV2" if params.get("list-type") == ["2"] else "ListObjects"
    return {"PUT": "CreateBucket", "HEAD": "HeadBucket", "DELETE": "DeleteBucket"}.get(
        method, f"{_VERBS.get(method, method)}Bucket"
    )


def discard_body(environ: dict[str, Any]) -> None:
    """Reads the request's body to its end and drops it, a block at a time, unparsed."""
    stream = environ["wsgi.input"]
    left = None if environ.get("wsgi.input_terminated") else int(environ.get("CONTENT_LENGTH") or 0)
    while left is None or left > 0:
        block = stream.read(65536 if left is None else min(65536, left))
        if not block:
            return
        if left is not None:
            left -= len(block)
