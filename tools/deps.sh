#!/bin/sh
# tools/deps.sh: install the Debian packages the build and tests need, only
# those missing. Idempotent and quiet when everything is present.
# Without arguments: the host build's packages, then the target's (the
# xtensa lx106 cross compiler, picolibc and QEMU for `make target` and
# tests/cli/target.sh) in a second apt-get run, so a failure there leaves
# the host build installed. With arguments: just those packages.
set -e
HOST_PKGS="gcc make libc6-dev liblua5.1-0-dev liblua5.3-dev lua5.1 lua5.3 python3 zlib1g-dev"
TARGET_PKGS="gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
updated=""

install() {
    missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "deps: installing$missing"
    if [ -z "$updated" ]; then
        $SUDO apt-get update -qq
        updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

if [ $# -gt 0 ]; then
    install "$@"
else
    install $HOST_PKGS
    install $TARGET_PKGS
fi
