#!/usr/bin/env bash
# The Debian packages `make test` needs beyond the venv (issue 14):
#   chromium                 tests/test_dashboard.py drives it headless (never a downloaded browser)
#   fonts-noto-core          the Persian font the dashboard's screenshots are shaped with
#   fontconfig               fc-list, to tell whether that font is there
#   postgresql               initdb/pg_ctl/psql for the DuckLake test's private cluster
#                            (tests/test_scaling.py starts it on loopback and stops it)
#   gcc                      compiles the transforms (scripts/compile_transforms.py), which
#                            tests/test_compiled.py checks against the source
# Installs what is missing when it may (root, or passwordless sudo); otherwise stops at
# once with the command to run. Nothing is done when all is there.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
{ command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "Noto Sans Arabic"; } || missing+=(fonts-noto-core)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ ${#missing[@]} -eq 0 ] && exit 0

install=(apt-get install -y -qq "${missing[@]}")
if [ "$(id -u)" = 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "make test: missing Debian packages: ${missing[*]}" >&2
    echo "make test: install them, then run make test again:" >&2
    echo "    sudo apt-get update && sudo ${install[*]}" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "make test: missing ${missing[*]} and no apt-get here: install chromium, the Noto fonts" \
         "(Noto Sans Arabic), fontconfig, the PostgreSQL server and gcc by hand" >&2
    exit 1
fi
echo "make test: installing Debian packages: ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "${install[@]}"
