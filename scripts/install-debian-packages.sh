#!/bin/sh
# Install the Debian packages listed in debian-packages.txt (or the ones named as arguments, e.g.
# graphviz for `make docs-graph`) that are not installed yet.
# Runs apt-get only when something is missing, so repeated `make` calls stay fast.
set -eu
list="$(dirname "$0")/../debian-packages.txt"
packages="${*:-$(grep -v '^#' "$list")}"
missing=""
for pkg in $packages; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo "Installing Debian packages:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
