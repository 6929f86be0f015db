"""Entry point: ``python -m iam_emulator.server --host 127.0.0.1 --port 0 [--raw]``.

Runs moto's own WSGI app (the one ``moto_server`` runs) on werkzeug's threaded server, with the
``fidelity`` corrections patched in (unless ``--raw``), ChangePassword added (``passwords``), the
``realism`` middleware in front, the control API under ``/_emulator/``, and IAM's clock (``clock``,
shifted by the setting clockOffsetSeconds) behind moto's timestamps and every answer's ``Date``. moto serves STS on the
same port, and ``realism`` answers CloudTrail's LookupEvents there from the event history
(``events``); moto serves S3 there too, path-style, with the bucket ``pulumi-state`` made at start
for Pulumi's DIY state backend (``s3``). Once listening it prints five lines on stdout,
``AWS_ENDPOINT_URL_IAM=http://HOST:PORT`` then ``AWS_ENDPOINT_URL_STS=``,
``AWS_ENDPOINT_URL_CLOUDTRAIL=`` and ``AWS_ENDPOINT_URL_S3=`` the same URL, and
``PULUMI_IAM_LP_BACKEND_URL=s3://pulumi-state?endpoint=http://HOST:PORT&…`` (the value as it is,
unquoted), so a caller can start it with port 0 and read the port.
"""

import argparse
import logging
import signal
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Iterable, Optional

from . import MOTO_VERSION


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m iam_emulator.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--raw", action="store_true", help="moto as it ships: no fidelity corrections"
    )
    parser.add_argument(
        "--log-requests", action="store_true", help="log one line per request on stderr"
    )
    args = parser.parse_args(argv)
    _require_moto()

    # Imported only once the version is known good: these modules patch moto 5.2.5's internals.
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from . import clock, fidelity, passwords, s3
    from .control import PREFIX, control_app
    from .realism import Realism

    realism = Realism()
    clock.install(lambda: realism.settings.clockOffsetSeconds)
    if not args.raw:
        fidelity.install(lambda: realism.settings.credentialReportMaxAgeSeconds)
    realism.install_policy_check()
    passwords.install(lambda: realism.settings.enforcePasswordPolicy)
    iam = realism.wrap(DomainDispatcherApplication(create_backend_app))
    control = control_app(realism)
    s3.create_state_bucket()

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(PREFIX):
            return control(environ, start_response)
        return iam(environ, start_response)

    logging.getLogger("werkzeug").setLevel(logging.INFO if args.log_requests else logging.WARNING)
    class RequestHandler(MotoRequestHandler):
        """Dates every answer by IAM's clock: the HTTP server writes ``Date`` itself (from
        ``date_time_string``), after the app's headers, so the app cannot set it."""

        def date_time_string(self, timestamp: Optional[float] = None) -> str:
            return super().date_time_string(clock.timestamp() if timestamp is None else timestamp)

    server = make_server(args.host, args.port, app, threaded=True, request_handler=RequestHandler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    mode = "raw moto" if args.raw else "moto with fidelity corrections"
    print(f"iam-emulator: {mode} {MOTO_VERSION} on port {server.server_port}", file=sys.stderr)
    url = f"http://{args.host}:{server.server_port}"
    print(
        f"AWS_ENDPOINT_URL_IAM={url}\nAWS_ENDPOINT_URL_STS={url}\nAWS_ENDPOINT_URL_CLOUDTRAIL={url}\n"
        f"AWS_ENDPOINT_URL_S3={url}\nPULUMI_IAM_LP_BACKEND_URL={s3.backend_url(url)}",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()


def _require_moto() -> None:
    """The corrections patch moto's internals as they are in one release: refuse any other."""
    try:
        found = version("moto")
    except PackageNotFoundError:
        sys.exit(f"iam-emulator: moto is not installed in {sys.executable}; run scripts/setup")
    if found != MOTO_VERSION:
        sys.exit(
            f"iam-emulator: moto {found} is installed but the fidelity corrections are pinned to "
            f"moto {MOTO_VERSION}; run scripts/install-emulator and use its venv"
        )


if __name__ == "__main__":
    main()
