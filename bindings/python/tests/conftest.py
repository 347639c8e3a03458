"""Puts bindings/python on sys.path; the tests skip, with a message, when libfunnel.so is missing."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)  # bindings/python
REPO = os.path.dirname(os.path.dirname(PACKAGE_ROOT))
if PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)

LIBRARY = os.environ.get("FUNNEL_LIBRARY") or os.path.join(REPO, ".build", "lib", "libfunnel.so")
MISSING = None if os.path.exists(LIBRARY) else (
    "libfunnel.so not found at %s: build it with `make lib` (or set FUNNEL_LIBRARY)" % LIBRARY)


def pytest_report_header(config):
    return "funnel library: %s%s" % (LIBRARY, " (MISSING: every binding test is skipped)" if MISSING else "")
