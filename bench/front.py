"""The nginx front as `make serve-nginx` starts it (scripts/serve-nginx.sh: nginx before gunicorn),
on free loopback ports with its files in a temporary folder, for the benches that load it."""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def serving_front(port: int, upstream: int):
    """nginx on `port` before gunicorn on `upstream`, over the last build; both stopped after."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PORT": str(port), "MAI_UPSTREAM_PORT": str(upstream), "MAI_HOST": "127.0.0.1",
               "MAI_NGINX_PREFIX": tmp, "PATH": os.environ.get("PATH", "") + os.pathsep + "/usr/sbin"}
        server = subprocess.Popen(["sh", "scripts/serve-nginx.sh"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            yield server
        finally:  # the script's whole group: nginx and gunicorn
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
