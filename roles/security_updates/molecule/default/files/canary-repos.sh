#!/bin/sh
# Two local apt repositories, each offering version 1.1 of a package the box has at 1.0. The
# first says it is Debian's security suite, the second Debian's updates suite: the role must
# install the first and leave the second. Base images may already carry every real security
# update, so this keeps one pending whatever day the image was built.
# Usage: canary-repos.sh CODENAME VERSION SUITE_PREFIX (trixie 13 stable, bookworm 12 oldstable)
set -eu
codename=$1 version=$2 prefix=$3
work=/srv/canary
rm -rf "$work"
mkdir -p "$work/build"

package() {  # name version directory
  root="$work/build/$1-$2"
  mkdir -p "$root/DEBIAN"
  printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: djangoops tests <root@localhost>\nDescription: test package for the security_updates scenario\n' \
    "$1" "$2" >"$root/DEBIAN/control"
  mkdir -p "$3"
  dpkg-deb --root-owner-group --build "$root" "$3/$1_$2_all.deb" >/dev/null
}

repo() {  # directory origin label suite codename
  (
    cd "$1"
    for deb in *.deb; do
      dpkg-deb -f "$deb"
      printf 'Filename: ./%s\nSize: %s\nSHA256: %s\n\n' "$deb" "$(stat -c %s "$deb")" "$(sha256sum "$deb" | cut -d' ' -f1)"
    done >Packages
    printf 'Origin: %s\nLabel: %s\nSuite: %s\nCodename: %s\nVersion: %s\nDate: %s\nArchitectures: all\nSHA256:\n %s %s Packages\n' \
      "$2" "$3" "$4" "$5" "$version" "$(date -u -R)" "$(sha256sum Packages | cut -d' ' -f1)" "$(stat -c %s Packages)" >Release
  )
}

package djangoops-canary-security 1.0 "$work/installed"
package djangoops-canary-updates 1.0 "$work/installed"
package djangoops-canary-security 1.1 "$work/security"
package djangoops-canary-updates 1.1 "$work/updates"
repo "$work/security" Debian Debian-Security "$prefix-security" "$codename-security"
repo "$work/updates" Debian Debian "$prefix-updates" "$codename-updates"
dpkg -i "$work"/installed/*.deb >/dev/null
printf 'deb [trusted=yes] file:%s/security ./\ndeb [trusted=yes] file:%s/updates ./\n' "$work" "$work" \
  >/etc/apt/sources.list.d/djangoops-canary.list
# Read only these two lists: Debian's stay as old as they were.
apt-get update -qq -o Dir::Etc::SourceList=/etc/apt/sources.list.d/djangoops-canary.list \
  -o Dir::Etc::SourceParts=- -o APT::Get::List-Cleanup=0
