"""Where the tests find the `funnel` package, and a loud skip when its library is missing.

From the source tree (make python-test): bindings/python goes first on sys.path,
and the library is found as the package finds it (FUNNEL_LIBRARY, or the
repository's .build/lib). Against an installed package (make wheel-test sets
FUNNEL_TEST_INSTALLED=1): sys.path is left alone, so `import funnel` is the
installed one, and it must carry its own library."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)  # bindings/python
REPO = os.path.dirname(os.path.dirname(PACKAGE_ROOT))
INSTALLED = os.environ.get("FUNNEL_TEST_INSTALLED") == "1"
if not INSTALLED and PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)

try:
    import funnel
except ImportError as exc:
    if INSTALLED:
        raise  # an installed package that cannot load its library is a failure, not a skip
    funnel = None
    MISSING = "%s (build it with `make lib`, or set FUNNEL_LIBRARY)" % exc
    LIBRARY = None
else:
    MISSING = None
    LIBRARY = funnel.library_path
    if INSTALLED:
        package_dir = os.path.dirname(os.path.abspath(funnel.__file__))
        assert not package_dir.startswith(PACKAGE_ROOT + os.sep), \
            "FUNNEL_TEST_INSTALLED=1 but funnel was imported from the source tree: %s" % package_dir
        assert os.path.dirname(os.path.abspath(LIBRARY)) == package_dir, \
            "the installed package loaded %s, not its own library" % LIBRARY


def pytest_report_header(config):
    if MISSING:
        return "funnel library: MISSING, every binding test is skipped: %s" % MISSING
    return "funnel package: %s; library: %s" % (os.path.dirname(funnel.__file__), LIBRARY)
