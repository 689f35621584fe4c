"""What the package's tests share (imported by name: `from shared import …`; each conftest.py
only puts the package and this folder on sys.path): the repository's root, the package on sys.path (the tests run
the source, as `/usr/bin/python3 -m pytest python/tests` does from anywhere), the
conformance vectors read from conformance/vectors.json at test time, and the Node that runs the
oracles (tests/node_oracle.js, tests/date_oracle.js) over the core compiled as it is now."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / "python"
if str(PYTHON) not in sys.path:
    sys.path.insert(0, str(PYTHON))

Vector = Dict[str, object]


def vectors() -> List[Vector]:
    """The cases of conformance/vectors.json, as the core generated them."""
    cases: List[Vector] = json.loads((ROOT / "conformance" / "vectors.json").read_text("utf-8"))[
        "cases"
    ]
    return cases


def body_of(vector: Vector) -> bytes:
    body = vector["body"]
    assert isinstance(body, dict)
    return base64.b64decode(str(body["base64"]))


def headers_of(vector: Vector) -> List[Tuple[str, str]]:
    pairs = vector["headers"]
    assert isinstance(pairs, list)
    return [(str(name), str(value)) for name, value in pairs]


def node() -> str:
    """The Node the oracles run on: the project's own (node_modules/.bin/node), else PATH's."""
    pinned = ROOT / "node_modules" / ".bin" / "node"
    found = str(pinned) if pinned.exists() else shutil.which("node")
    if found is None:
        pytest.skip("no node to run the oracle")
    return found


def compiled() -> None:
    """The Node package and the core compiled into dist/ as they are now (incremental: quick when
    nothing changed), so the oracle is never an older build."""
    tsc = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
    if not tsc.exists():
        pytest.skip("no TypeScript compiler (npm ci) to build the oracle")
    subprocess.run([node(), str(tsc), "-p", "scripts/sdk/tsconfig.json"], cwd=ROOT, check=True)
