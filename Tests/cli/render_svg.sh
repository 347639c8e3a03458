#!/bin/sh
# Renders the funnel picture of `funnel demo` (and of any SVG given) to PNG with
# headless Chromium, to look at by eye: Tests/cli/render_svg.sh [FILE.svg ...]
# Not part of `make test` (Chromium is optional). PNGs land next to the SVGs.
set -eu
FUNNEL=${FUNNEL_BIN:-.build/debug/funnel}
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROMIUM" ] || { echo "render_svg.sh: no Chromium found (apt-get install chromium)" >&2; exit 2; }
if [ $# -eq 0 ]; then
    out=$(mktemp -d)
    "$FUNNEL" demo --top 1 --svg "$out/funnel-demo.svg" > /dev/null
    set -- "$out/funnel-demo.svg"
fi
for svg in "$@"; do
    png="${svg%.svg}.png"
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,520 \
        --screenshot="$png" "file://$(realpath "$svg")" > /dev/null 2>&1
    [ -s "$png" ] || { echo "render_svg.sh: Chromium drew nothing for $svg" >&2; exit 1; }
    echo "$png"
done
