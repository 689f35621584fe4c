"""The Python samples of docs/python.md's "Python: isao_webhooks" section run as the page says:
each ```python block (its file named on its first line) is written into a clean folder; the
Flask and FastAPI apps are started with the page's commands, the Django URLconf under Django's
runserver, on a free port, and each gets a signed deal.won (200, handled, printed once), the same
again (a duplicate) and a tampered copy (401); the verify sample prints what the page says."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from shared import PYTHON, ROOT
from isao_webhooks.testing import signed_delivery

SECRET = "whsec_docs"
PAGE = (ROOT / "docs" / "python.md").read_text("utf-8")
# the section alone: up to the next section of the page
SECTION = PAGE.split("## Python: isao_webhooks", 1)[1].split("\n## ", 1)[0]
SAMPLES: Dict[str, str] = {
    match[1]: match[0] for match in re.findall(r"```python\n(# (\S+)\n[\s\S]*?)```", SECTION)
}


def test_the_section_has_its_samples_and_commands() -> None:
    assert sorted(SAMPLES) == ["fastapi_app.py", "flask_app.py", "urls.py", "verify_example.py"]
    assert "/usr/bin/python3 -m build --no-isolation --wheel --outdir python/dist python" in SECTION
    assert "/usr/bin/python3 -m flask --app flask_app run --port 3000" in SECTION
    assert "/usr/bin/python3 -m uvicorn fastapi_app:app --port 3000" in SECTION


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(url: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, Dict[str, object]]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


SERVERS = {
    "flask_app.py": lambda port: ["-m", "flask", "--app", "flask_app", "run", "--port", str(port)],
    "fastapi_app.py": lambda port: ["-m", "uvicorn", "fastapi_app:app", "--port", str(port)],
    "urls.py": lambda port: ["-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
}
DJANGO_SETTINGS = 'SECRET_KEY = "docs"\nROOT_URLCONF = "urls"\nALLOWED_HOSTS = ["127.0.0.1"]\nDEBUG = False\n'


@pytest.mark.parametrize("sample", sorted(SERVERS))
def test_server_samples(sample: str, tmp_path: Path) -> None:
    (tmp_path / sample).write_text(SAMPLES[sample], "utf-8")
    (tmp_path / "settings.py").write_text(DJANGO_SETTINGS, "utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PYTHON), "ISAO_WEBHOOK_SECRET": SECRET, "DJANGO_SETTINGS_MODULE": "settings", "PYTHONUNBUFFERED": "1"}
    env["PYTHONPATH"] += os.pathsep + str(tmp_path)
    server = subprocess.Popen([sys.executable, *SERVERS[sample](port)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/webhooks/isao"
        sent = signed_delivery("deal.won", secret=SECRET)
        answers: List[Tuple[int, Dict[str, object]]] = []
        for _ in range(100):
            try:
                answers.append(post(url, sent.body, sent.headers))
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        answers.append(post(url, sent.body, sent.headers))
        answers.append(post(url, sent.body.replace(b"Tech Corp", b"Tech Co"), sent.headers))
        assert [(status, body.get("handled"), body.get("duplicates"), body.get("problem")) for status, body in answers] == [
            (200, 1, 0, None), (200, 0, 1, None), (401, None, None, "mismatch"),
        ]
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert out.decode().count(f"won: Enterprise plan \u2013 Tech Corp (event {sent.event_id})") == 1


def test_the_verify_sample_prints_what_the_page_says(tmp_path: Path) -> None:
    (tmp_path / "verify_example.py").write_text(SAMPLES["verify_example.py"], "utf-8")
    ran = subprocess.run([sys.executable, "verify_example.py"], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(PYTHON)}, capture_output=True, text=True, check=True)
    assert ran.stdout == "deal.won 18000 signed with secret 1\n401 mismatch\n"
    assert "prints `deal.won 18000 signed with secret 1`, then `401 mismatch`" in SECTION
