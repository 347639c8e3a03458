#!/usr/bin/env bash
# The win model's quality against scikit-learn (see quality.py and Benchmarks/README.md).
#   Benchmarks/winmodel-quality/run.sh [--train N] [--test N] [--seed S]
# FUNNEL=path/to/funnel uses that executable (default: the release build, built when missing).
# scikit-learn is installed with pip into a virtual environment of its own
# (WINMODEL_QUALITY_VENV, default ~/.cache/funnel-winmodel-quality-venv) when
# the python3 on PATH lacks it: it belongs to this benchmark only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
funnel=${FUNNEL:-$root/.build/release/funnel}
if [ ! -x "$funnel" ]; then
    swift build -c release --package-path "$root" --product funnel >&2
fi
python=python3
if ! python3 -c 'import sklearn, numpy' 2>/dev/null; then
    venv=${WINMODEL_QUALITY_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/funnel-winmodel-quality-venv}
    if [ ! -x "$venv/bin/python" ]; then python3 -m venv --system-site-packages "$venv"; fi
    if ! "$venv/bin/python" -c 'import sklearn, numpy' 2>/dev/null; then
        "$venv/bin/python" -m pip install --quiet scikit-learn numpy >&2
    fi
    python=$venv/bin/python
fi
exec "$python" "$here/quality.py" --funnel "$funnel" "$@"
