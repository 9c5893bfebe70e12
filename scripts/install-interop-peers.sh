#!/usr/bin/env bash
# Installs the WebRTC peers the interop tests run against, from the package registries only:
# Debian's chromium, and npm's @roamhq/wrtc and node-datachannel (their native binaries ship inside npm packages),
# plus playwright-core to drive Chromium (it uses the system chromium; it downloads no browser).
set -euo pipefail
cd "$(dirname "$0")/.."
interop=tests/Tavus.Cvi.WebRtc.Tests/interop

can_apt() { [ "${CI:-}" = "true" ] || [ "$(id -u)" = "0" ]; }
apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null 2>&1; then
  if can_apt; then
    echo "install-interop-peers: installing chromium (apt)"
    apt_install chromium
  else
    echo "install-interop-peers: chromium missing and not root: Chromium interop tests will skip"
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  if can_apt; then
    echo "install-interop-peers: installing nodejs and npm (apt)"
    apt_install nodejs npm
  else
    echo "install-interop-peers: npm missing and not root: native-stack interop tests will skip"
    exit 0
  fi
fi

echo "install-interop-peers: npm ci in $interop"
(cd "$interop" && npm ci --no-audit --no-fund --loglevel=error)
echo "install-interop-peers: done (node $(node --version), chromium: $(command -v chromium || echo none))"
