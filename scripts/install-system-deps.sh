#!/usr/bin/env bash
# Debian packages the probes and the IPsec lab use. Installs only what is missing, so a warm machine
# pays nothing. Needs root (CI runs as root); as an ordinary user it only reports what is missing.
set -euo pipefail

packages=(
  iputils-ping traceroute iproute2 iptables dnsutils openssl
  strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins
  dnsmasq-base
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing (run as root to install): ${missing[*]}" >&2
  exit 0
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
