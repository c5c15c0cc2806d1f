#!/usr/bin/env bash
# Build the systemd images the Molecule scenarios boot, from Debian's packages only (no registry
# is needed): djangoops/debian13-systemd (trixie, stable) and djangoops/debian12-systemd
# (bookworm, oldstable), with the security updates published by the day they are built, as a
# cloud provider's current image has them. An image is reused for a week, then rebuilt, so that
# the boxes' first runs do not spend their time on updates the image could carry (the
# security_updates scenario offers its own pending update). Images built by an earlier version
# of this script (no djangoops.base label, or an older one) are rebuilt.
# Usage: base-image.sh [13|12]   (no argument: both)
set -euo pipefail

# Raise when the image's content changes, so that every machine rebuilds it.
base_version=2
max_age_days=${DJANGOOPS_BASE_MAX_AGE_DAYS:-7}

missing=""
for release in ${1:-13 12}; do
  built=$(docker image inspect -f '{{ index .Config.Labels "djangoops.base" }} {{ .Created }}' \
    "djangoops/debian$release-systemd:latest" 2>/dev/null || true)
  if [ "${built%% *}" != "$base_version" ]; then
    missing+=" $release"
  elif [ $(( $(date +%s) - $(date -d "${built#* }" +%s) )) -gt $(( max_age_days * 86400 )) ]; then
    echo ">> djangoops/debian$release-systemd is over $max_age_days days old: rebuilding it"
    missing+=" $release"
  fi
done
[ -n "$missing" ] || exit 0

if ! command -v debootstrap >/dev/null 2>&1; then
  echo ">> installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
fi

if [ $# = 0 ]; then
  # Both at once, after debootstrap is installed (two apt-gets would fight over dpkg's lock): each
  # waits mostly on downloads, which overlap. A fresh machine builds both before the first test.
  "$0" 13 & first=$!
  "$0" 12 & second=$!
  rc=0
  wait "$first" || rc=1
  wait "$second" || rc=1
  exit "$rc"
fi
case $1 in
  13) suite=trixie ;;
  12) suite=bookworm ;;
  *) echo "usage: $0 [13|12]" >&2; exit 2 ;;
esac
image=djangoops/debian$1-systemd:latest
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

rootfs=$(mktemp -d /var/tmp/djangoops-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo ">> debootstrap $suite into $rootfs (about a minute)"
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,python3,python3-apt,sudo,ca-certificates,iproute2,procps \
  "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"

cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb http://deb.debian.org/debian $suite main
deb http://deb.debian.org/debian $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
SOURCES

# Trust the host's extra CA certificates, as a box behind a TLS-inspecting proxy must.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
fi

# Test-only apt speed-up: use the host's apt-cacher-ng when the default gateway offers one.
cat >"$rootfs/usr/local/bin/apt-proxy-detect" <<'DETECT'
#!/bin/bash
gw=$(ip route 2>/dev/null | awk '/^default/ {print $3; exit}')
if [ -n "$gw" ] && timeout 1 bash -c "exec 3<>/dev/tcp/$gw/3142" 2>/dev/null; then
  echo "http://$gw:3142"
else
  echo DIRECT
fi
DETECT
chmod 0755 "$rootfs/usr/local/bin/apt-proxy-detect"
echo 'Acquire::http::Proxy-Auto-Detect "/usr/local/bin/apt-proxy-detect";' \
  >"$rootfs/etc/apt/apt.conf.d/01proxy-detect"

# A container has no console to log in on and no kernel modules to load.
for unit in getty@tty1.service console-getty.service systemd-modules-load.service \
            systemd-udevd.service systemd-udev-trigger.service; do
  ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
done
echo 'djangoops-base' >"$rootfs/etc/hostname"
# Package lists stay (as on a cloud image) so that apt cache_valid_time behaves as on real boxes.
chroot "$rootfs" apt-get update -qq >/dev/null
echo ">> installing $suite's security updates"
mount -t proc proc "$rootfs/proc"
trap 'umount "$rootfs/proc" 2>/dev/null; rm -rf "$rootfs"' EXIT
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq -o Dpkg::Use-Pty=0 dist-upgrade \
  >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
umount "$rootfs/proc"
chroot "$rootfs" apt-get clean

echo ">> importing $image"
old=$(docker image inspect -f '{{ .Id }}' "$image" 2>/dev/null || true)
tar -C "$rootfs" -c . | docker import \
  -c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker' -c "LABEL djangoops.base=$base_version" \
  - "$image" >/dev/null
# The image it replaces goes, unless a container still uses it.
[ -z "$old" ] || docker rmi "$old" >/dev/null 2>&1 || true
echo ">> built $image"
