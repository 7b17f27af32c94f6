#!/bin/sh
# tools/deps.sh: install the Debian packages the build and tests need, only
# those missing. Idempotent and quiet when everything is present.
set -e
PKGS="${*:-gcc make libc6-dev liblua5.1-0-dev liblua5.3-dev lua5.1 lua5.3 zlib1g-dev}"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
