#!/usr/bin/env bash
# Installs Chromium from Debian's packages (chromium, chromium-driver) when /usr/bin/chromium is
# missing: the reports' browser test (test/report/browser.test.ts) drives it with playwright-core and
# never downloads a browser build of its own. Needs root (CI runs as root); about 90 s on this machine.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing; as root run: apt-get update && apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium and chromium-driver"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=120 chromium chromium-driver
/usr/bin/chromium --version
