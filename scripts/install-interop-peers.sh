#!/usr/bin/env bash
# Installs the WebRTC peers the interop tests run against, from the package registries only:
# Debian's chromium, and npm's @roamhq/wrtc and node-datachannel (their native binaries ship inside npm packages).
set -euo pipefail
echo "install-interop-peers: nothing to install yet"
