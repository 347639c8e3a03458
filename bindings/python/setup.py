"""Build steps pyproject.toml cannot declare (the metadata is all there).

- build_py copies libfunnel.so into the package: the file named by the
  environment variable FUNNEL_LIBRARY when set, else the repository's
  .build/lib/libfunnel.so (`make lib`). Without one the build stops and says so:
  a package without its library would only fail later, at `import funnel`.
- bdist_wheel tags the wheel for this platform (py3-none-linux_x86_64, not
  py3-none-any): it carries a native library, though no Python extension.
  That tag is the building machine's, fine for `pip install ./bindings/python`
  there; `make wheel` then has auditwheel check the library's dependencies and
  symbol versions and retag the wheel py3-none-manylinux_2_34_x86_64 (glibc 2.34
  or later), the tag PyPI and other machines' pip take.
"""
import os
import shutil

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:  # setuptools >= 70.1 has its own
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # older setuptools: the wheel package's
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
LIBRARY = "libfunnel.so"


def library_to_bundle():
    env = os.environ.get("FUNNEL_LIBRARY")
    if env:
        if not os.path.exists(env):
            raise SystemExit("funnel: FUNNEL_LIBRARY names %s, which does not exist" % env)
        return env
    repo_build = os.path.normpath(os.path.join(HERE, "..", "..", ".build", "lib", LIBRARY))
    if os.path.exists(repo_build):
        return repo_build
    raise SystemExit(
        "funnel: %s not found, so the package would have no library. Run `make lib` at the "
        "repository root first (it builds .build/lib/libfunnel.so), or set FUNNEL_LIBRARY "
        "to the library to bundle." % repo_build)


class BuildPyWithLibrary(build_py):
    def run(self):
        super().run()
        source = library_to_bundle()
        target = os.path.join(self.build_lib, "funnel", LIBRARY)
        self.mkpath(os.path.dirname(target))
        shutil.copyfile(source, target)  # follows the .so -> .so.0 -> .so.X.Y.Z links
        self.announce("bundled %s as %s" % (os.path.realpath(source), target), level=2)


class BinaryDistribution(Distribution):
    """A distribution with platform files: they go to platlib, at the wheel's root."""

    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(distclass=BinaryDistribution, cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel})
