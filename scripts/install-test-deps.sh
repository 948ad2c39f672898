#!/usr/bin/env bash
# Installs the system packages the test suite needs, from Debian's repositories, when missing:
# PostgreSQL 15 with PostGIS 3 (the HTTP tests start their own throw-away server), the Mosquitto MQTT broker
# (the device tests start their own), nginx (the two-instance test puts its own in front of two servers) and, once the
# web project has browser tests, Chromium (Playwright drives Debian's build; nothing is downloaded) and the
# Noto CJK and colour emoji fonts, so Chinese text and the category icons render in the screenshots.
set -euo pipefail

packages=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  packages+=(postgresql)
fi
if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  packages+=(postgresql-15-postgis-3)
fi
if ! [ -x /usr/sbin/mosquitto ] && ! command -v mosquitto >/dev/null 2>&1; then
  packages+=(mosquitto)
fi
if ! [ -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then
  packages+=(nginx-light)
fi
if [ -d "$(dirname "$0")/../web/e2e" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    packages+=(chromium)
  fi
  for font in fonts-noto-cjk fonts-noto-color-emoji; do
    if ! dpkg -s "$font" >/dev/null 2>&1; then
      packages+=("$font")
    fi
  done
fi

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing system packages for the tests: ${packages[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to install: ${packages[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Debian's postgresql, mosquitto and nginx packages start services on install; the tests do not use them.
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
