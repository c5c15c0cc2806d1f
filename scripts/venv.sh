#!/usr/bin/env bash
# Create or refresh the pinned virtualenvs: .venv with the test tools (requirements-test.txt) and
# .cache/venvs/sslyze with the TLS scanner of the drills (requirements-sslyze.txt; its own venv
# because its cryptography pin clashes with the test tools'). Each is rebuilt only when its
# requirements file changed. `scripts/venv.sh ansible-oldest` makes only .cache/venvs/ansible-oldest
# (requirements-oldest.txt: the oldest ansible-core that meta/runtime.yml claims).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed (ansible-core 2.19); found $(python3 --version)" >&2
  exit 1
fi

make_venv() {  # VENV REQUIREMENTS
  local venv=$1 req=$2 want
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else
      echo "python3 -m venv does not work here; install python3-venv" >&2
      exit 1
    fi
  fi
  echo ">> creating $venv from ${req#"$root"/}"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip >/dev/null
  "$venv/bin/pip" install -q -r "$req" 2>&1 | { grep -v "^WARNING: Location" || true; }
  echo "$want" >"$venv/.requirements.sha256"
}

if [ "${1:-}" = ansible-oldest ]; then
  make_venv "$root/.cache/venvs/ansible-oldest" "$root/requirements-oldest.txt"
  exit 0
fi
make_venv "${DJANGOOPS_VENV:-$root/.venv}" "$root/requirements-test.txt"
make_venv "$root/.cache/venvs/sslyze" "$root/requirements-sslyze.txt"
