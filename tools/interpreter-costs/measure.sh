#!/bin/sh
# Measure the work ePython's interpreter does per byte-code operation; see README.md.
# usage: tools/interpreter-costs/measure.sh [EPYTHON_CHECKOUT] [--jobs N] [--work DIR]
# EPYTHON_CHECKOUT (or $EPYTHON_SRC) defaults to /tmp/epython-src, a checkout of ePython's dev branch.
# Needs: cc, make, valgrind (callgrind, callgrind's output only), objdump, python3; node and
# `npm run build` for the simulator's step counts (optional). Fetches nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for tool in cc make valgrind objdump python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "measure.sh: $tool is needed" >&2; exit 2; }
done
exec python3 "$here/measure.py" "$@"
