#!/usr/bin/env bash
# Optional speed-up for the test containers: an apt-cacher-ng of our own on the host (own config,
# plain caching proxy, no mirror remapping), which the base image's apt finds by itself
# (see base-image.sh). Anything failing here only costs speed, never the run.
set -uo pipefail

port=${DJANGOOPS_APT_CACHE_PORT:-3142}
state=${DJANGOOPS_APT_CACHE_DIR:-/var/cache/djangoops-apt}
listening() { (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; }

listening && exit 0
if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  echo ">> no apt cache (not root on Debian): tests run slower"; exit 0
fi
if ! command -v apt-cacher-ng >/dev/null 2>&1; then
  echo ">> installing apt-cacher-ng (package cache for the test containers)"
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apt-cacher-ng \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apt-cacher-ng; }; } >/dev/null 2>&1 \
    || { echo ">> apt-cacher-ng not installed: tests run slower"; exit 0; }
fi
# The packaged service may have started with Debian's remapping to a mirror we cannot reach.
service apt-cacher-ng stop >/dev/null 2>&1 || true

mkdir -p "$state/cache" "$state/log" "$state/conf" "$state/run"
cat >"$state/conf/acng.conf" <<CONF
CacheDir: $state/cache
LogDir: $state/log
Port: $port
ExThreshold: 30
PassThroughPattern: .*
CONF
chown -R apt-cacher-ng: "$state" 2>/dev/null || true
/usr/sbin/apt-cacher-ng -c "$state/conf" pidfile="$state/run/pid" SocketPath="$state/run/socket" \
  foreground=0 >/dev/null 2>&1 || true
for _ in $(seq 1 10); do listening && exit 0; sleep 1; done
echo ">> apt-cacher-ng did not start: tests run slower"
exit 0
