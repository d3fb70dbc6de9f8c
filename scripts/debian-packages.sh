#!/usr/bin/env bash
# Make sure the Debian packages given are installed: as root, install them;
# otherwise print the exact command to run and stop. A package whose command is
# already on the PATH (npm bundled with another Node.js build, say) counts as present.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || command -v "$package" >/dev/null 2>&1 \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installation des paquets Debian : ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Paquets Debian manquants. Lancez :" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
