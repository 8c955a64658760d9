#!/usr/bin/env bash
# Debian packages the probes (ping, traceroute), their tests, the network lab (test/lab, bench/check.ts) and the
# PostgreSQL tests use. Installs only what is missing, so a warm
# machine pays nothing; runs `apt-get update` only when an install fails for want of fresh package lists.
# Needs root, like the lab itself.
set -euo pipefail

packages=(
  strongswan-charon strongswan-swanctl libstrongswan-standard-plugins libcharon-extra-plugins # IPsec, userspace ESP
  dnsmasq-base          # cloud DNS servers and the corporate resolver
  iptables iproute2     # fault injection, namespaces, veths, routes, ss
  util-linux            # unshare: a private /run per charon
  iputils-ping traceroute dnsutils netcat-openbsd # the manual sequence and the lab's own witnesses
  openssl               # the front-end's TLS certificate
  postgresql            # the store's second engine and the replica tests (a throw-away server per run)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages: missing Debian packages and not root, cannot install: ${missing[*]}" >&2
  exit 1
fi

echo "system packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
if ! install; then
  apt-get update -qq >&2
  install
fi
