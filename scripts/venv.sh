#!/usr/bin/env bash
# Create or refresh .venv with the pinned test tools (requirements-test.txt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${DJANGOOPS_VENV:-$root/.venv}
req=$root/requirements-test.txt
stamp=$venv/.requirements.sha256

want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed (ansible-core 2.19); found $(python3 --version)" >&2
  exit 1
fi
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "python3 -m venv does not work here; install python3-venv" >&2
    exit 1
  fi
fi

echo ">> creating $venv with the pinned test tools"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip >/dev/null
"$venv/bin/pip" install -q -r "$req" 2>&1 | { grep -v "^WARNING: Location" || true; }
echo "$want" >"$stamp"
