"""What the package's tests share (imported by name: `from shared import …`; each conftest.py
only puts the package and this folder on sys.path): the repository's root, the package on sys.path (the tests run
the source, as `/usr/bin/python3 -m pytest python/tests` does from anywhere), and the
conformance vectors read from conformance/vectors.json at test time."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Dict, List, Tuple

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
