#!/usr/bin/env bash
# Make sure a Docker engine answers. On a fresh Debian machine where we are root and no
# engine runs (no systemd on CI hosts), install docker.io from Debian and start dockerd.
set -euo pipefail

docker_answers() { docker info >/dev/null 2>&1; }

if docker_answers; then
  exit 0
fi

if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  echo "No Docker engine answers. Install and start Docker (https://docs.docker.com/engine/install/)," >&2
  echo "or run this as root on Debian, where it installs docker.io itself." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo ">> installing docker.io from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

# A systemd host starts it the usual way; elsewhere we start the daemon in the background.
if [ -d /run/systemd/system ] && systemctl start docker 2>/dev/null; then
  :
else
  echo ">> starting dockerd in the background (log: /var/log/dockerd.log)"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
fi

for _ in $(seq 1 60); do
  docker_answers && exit 0
  sleep 1
done
echo "dockerd did not answer within 60 s; see /var/log/dockerd.log" >&2
exit 1
