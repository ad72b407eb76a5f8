#!/usr/bin/env bash
# setup-live: installs the live world's two real dependencies where it can — redis-server (Debian's
# package, through apt-get with a lock timeout) and the Toxiproxy server (`go install`, pinned to
# v2.12.0: `@latest` resolves to an old v2.5.0) — and otherwise says exactly what to install.
# Exit code 0 when both are there afterwards, 1 otherwise.
set -uo pipefail

TOXIPROXY_MODULE="github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0"
missing=0

have_redis() { command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; }

sudo_prefix() {
  if [ "$(id -u)" -eq 0 ]; then echo ""; elif command -v sudo >/dev/null 2>&1; then echo "sudo -n"; else echo "none"; fi
}

if have_redis; then
  echo "redis-server: already installed ($(redis-server --version 2>/dev/null | head -1))"
elif command -v apt-get >/dev/null 2>&1 && [ "$(sudo_prefix)" != "none" ]; then
  SUDO=$(sudo_prefix)
  echo "redis-server: installing with apt-get"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends redis-server >/dev/null
  have_redis || { echo "redis-server: apt-get could not install it; install the redis-server package (Redis 7) yourself" >&2; missing=1; }
else
  echo "redis-server: not installed and apt-get is not usable here; install Redis 7 (Debian: sudo apt-get install redis-server) or set STARCOFFEE_REDIS_SERVER" >&2
  missing=1
fi

toxiproxy_at() { [ -x "$1" ] && "$1" -version 2>&1 | grep -qi toxiproxy; }
find_toxiproxy() {
  if command -v toxiproxy-server >/dev/null 2>&1; then command -v toxiproxy-server; return 0; fi
  if command -v go >/dev/null 2>&1; then
    local gobin
    gobin="$(go env GOBIN)"; [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
    if toxiproxy_at "$gobin/server"; then echo "$gobin/server"; return 0; fi
  fi
  if toxiproxy_at "$HOME/go/bin/server"; then echo "$HOME/go/bin/server"; return 0; fi
  return 1
}

if found=$(find_toxiproxy); then
  echo "toxiproxy: already installed ($found, $("$found" -version 2>&1 | head -1))"
elif command -v go >/dev/null 2>&1; then
  echo "toxiproxy: installing with go install $TOXIPROXY_MODULE"
  go install "$TOXIPROXY_MODULE" || true
  if found=$(find_toxiproxy); then
    echo "toxiproxy: installed at $found"
  else
    echo "toxiproxy: go install failed; run: go install $TOXIPROXY_MODULE" >&2
    missing=1
  fi
else
  echo "toxiproxy: Go is not installed; install Go (https://go.dev/dl/), then run: go install $TOXIPROXY_MODULE (or set STARCOFFEE_TOXIPROXY_SERVER)" >&2
  missing=1
fi

exit $missing
