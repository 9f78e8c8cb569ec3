#!/usr/bin/env bash
# The demo's HTML report is checked in headless Chromium (Debian's package). Installs it when
# missing; the test skips with a notice on a machine without it outside CI.
set -euo pipefail
if command -v chromium >/dev/null; then
  echo "Chromium present: $(chromium --version 2>/dev/null | head -1)"
  exit 0
fi
echo "Installing Chromium from Debian's packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
chromium --version
