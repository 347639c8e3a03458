import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def funnel():
    """Path of the funnel binary (FUNNEL_BIN, else the debug build)."""
    path = pathlib.Path(os.environ.get("FUNNEL_BIN", ROOT / ".build" / "debug" / "funnel"))
    if not path.exists():
        subprocess.run(["swift", "build", "--product", "funnel"], cwd=ROOT, check=True)
    return str(path)


@pytest.fixture
def run(funnel):
    def run(*args, input=None):
        return subprocess.run([funnel, *args], input=input, capture_output=True, text=True, timeout=120)
    return run
