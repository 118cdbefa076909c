"""nginx serving a frozen export with deploy/nginx-static.conf.template (tests and bench/)."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import urllib.request
from pathlib import Path

from procfile_server import ROOT, free_port, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def start(export: Path, prefix: Path) -> tuple[subprocess.Popen, str]:
    """nginx in the foreground on a free loopback port, its pid, temp files and logs under prefix."""
    assert Path(NGINX).is_file(), "nginx is not installed: run make deps"
    port = free_port()
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    (prefix / "temp").mkdir(exist_ok=True)
    for template, written in (("nginx-static.conf.template", "nginx.conf"),
                              ("nginx-static-headers.conf", "nginx-static-headers.conf")):
        config = (ROOT / "deploy" / template).read_text()
        for name, value in {"LISTEN": f"127.0.0.1:{port}", "EXPORT": str(export.resolve()),
                            "PREFIX": str(prefix.resolve()), "DEPLOY": str(prefix.resolve())}.items():
            config = config.replace(f"@{name}@", value)
        (prefix / written).write_text(config)
    # run as root (a container), nginx's workers would drop to `nobody`, who cannot read pytest's
    # private temporary folders: keep them as the user who made the export
    directives = "daemon off;" + (f" user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else "")
    process = subprocess.Popen([NGINX, "-p", f"{prefix}/", "-c", "nginx.conf", "-g", directives],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, f"nginx exited: {process.stderr.read().decode()}"
        try:
            urllib.request.urlopen(base + "/", timeout=2).close()
            return True
        except OSError:
            return False

    try:
        wait_until(answers, 20, "nginx did not answer")
    except BaseException:
        stop(process)  # never leave an nginx behind a failed start
        raise
    return process, base


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)
