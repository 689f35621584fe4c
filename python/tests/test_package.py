"""The package as users get it: the wheel builds offline (`python3 -m build --no-isolation
--wheel`, Debian's python3-build and setuptools, no index), holds what it must (py.typed, the
generated tables and types, no tests), declares Python >= 3.9 and no dependency, and its
contents import and work under `python3 -I -S`: the standard library alone, no site-packages.
Each Python >= 3.9 found here (Debian's, and pyenv's if present) runs the same smoke script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import List

import pytest

from shared import PYTHON, ROOT

SMOKE = Path(__file__).with_name("smoke.py")


def interpreters() -> List[str]:
    """Debian's Python, and any other Python >= 3.9 this machine has (pyenv's versions)."""
    found = [sys.executable]
    for candidate in sorted(Path.home().glob(".pyenv/versions/3.*/bin/python3")):
        minor = candidate.parts[-3].split(".")[1]
        if minor.isdigit() and int(minor) >= 9:
            found.append(str(candidate))
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # from a clean copy of the sources: setuptools would reuse a build/ left in the tree
    source = tmp_path_factory.mktemp("source") / "python"
    ignored = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", ".pytest_cache")
    shutil.copytree(PYTHON, source, ignore=ignored)
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(out), str(source)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    [built] = out.glob("isao_webhooks-*.whl")
    return built


def test_the_wheel_holds_the_package_typed_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("py.typed", "events_generated.py", "_core_generated.py", "verify.py", "receiver.py", "flask.py"):
        assert f"isao_webhooks/{needed}" in names
    assert not [name for name in names if "tests/" in name or name.endswith(".pyc")]
    [metadata] = [name for name in names if name.endswith("METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Name: isao-webhooks" in text and "Requires-Python: >=3.9" in text
    assert "Requires-Dist" not in text


@pytest.mark.parametrize("python", interpreters())
def test_it_imports_and_works_with_the_standard_library_alone(wheel: Path, python: str, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    vectors = ROOT / "conformance" / "vectors.json"
    code = f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); sys.argv = ['smoke', {str(vectors)!r}]; exec(open({str(SMOKE)!r}).read())"
    ran = subprocess.run([python, "-I", "-S", "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    shown = json.loads(ran.stdout)
    assert shown["file"].startswith(str(tmp_path / "site"))
    assert shown["vectors"] >= 40 and shown["outside"] == []
