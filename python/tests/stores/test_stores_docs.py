"""The Python samples of docs/python.md's "Python: the shared stores" run as the page says, on
the throwaway Redis."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from shared import PYTHON, ROOT


def test_the_page_s_python_samples_run(redis_url: str) -> None:
    page = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    section = page.split("## Python: the shared stores", 1)[1].split("\n## ", 1)[0]
    samples = re.findall(r"```python\n# (\S+)\n(.*?)```", section, re.S)
    assert [name for name, _ in samples] == ["stores_sample.py"]
    done = subprocess.run(
        [sys.executable, "-c", samples[0][1]],
        env={**os.environ, "ISAO_REDIS_URL": redis_url, "PYTHONPATH": str(PYTHON)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "run it\nduplicate\n", "")
