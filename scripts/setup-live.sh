#!/usr/bin/env bash
# setup-live (`npm run setup:live`): installs the live world's two real dependencies when they are
# missing — redis-server (Debian's package, apt-get with a lock timeout; `apt-get update` only when
# the package is unknown) and the Toxiproxy server (`go install`, pinned to v2.12.0: `@latest`
# resolves to an old v2.5.0; the binary is `server` in $(go env GOPATH)/bin). Idempotent: when both
# are there it only says so. Whatever cannot be installed is named on one line of stderr with the
# command that installs it. STARCOFFEE_REDIS_SERVER / STARCOFFEE_TOXIPROXY_SERVER name binaries to
# use instead (checked, never installed). Exit code 0 when both are there afterwards, 1 otherwise.
set -uo pipefail

TOXIPROXY_MODULE="github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0"
APT=(apt-get -o DPkg::Lock::Timeout=120)
log="$(mktemp -t starcoffee-setup-live.XXXXXX)"
trap 'rm -f "$log"' EXIT
missing=0

fail() { echo "setup:live: $*" >&2; missing=1; }
# The installer's last words, as " (…)" on the failure line, or nothing.
last_words() { local line; line="$(grep -v '^\s*$' "$log" 2>/dev/null | tail -1 | cut -c1-120)"; [ -z "$line" ] || echo " ($line)"; }

# ---- redis-server ---------------------------------------------------------------------------------

find_redis() {
  if [ -n "${STARCOFFEE_REDIS_SERVER:-}" ]; then
    [ -x "$STARCOFFEE_REDIS_SERVER" ] && echo "$STARCOFFEE_REDIS_SERVER"
    return
  fi
  command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; }
}

# root runs apt-get itself; anyone else through sudo without a password prompt, or not at all.
sudo_prefix() {
  if [ "$(id -u)" -eq 0 ]; then echo ""; elif sudo -n true 2>/dev/null; then echo "sudo -n"; else return 1; fi
}

# The package has an installation candidate in the apt lists already on disk.
apt_knows_redis() { apt-cache policy redis-server 2>/dev/null | grep -q "Candidate: [0-9]"; }

install_redis() {
  local sudo
  command -v apt-get >/dev/null 2>&1 || return 1
  sudo="$(sudo_prefix)" || return 1
  if ! apt_knows_redis; then
    echo "redis-server: the package is unknown to apt: apt-get update"
    $sudo "${APT[@]}" update -qq >>"$log" 2>&1 || return 1
  fi
  echo "redis-server: installing Debian's package with apt-get"
  $sudo env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq --no-install-recommends redis-server >>"$log" 2>&1
}

if redis=$(find_redis) && [ -n "$redis" ]; then
  echo "redis-server: already installed ($redis, $("$redis" --version 2>/dev/null | head -1))"
elif [ -n "${STARCOFFEE_REDIS_SERVER:-}" ]; then
  fail "redis-server not found at $STARCOFFEE_REDIS_SERVER (STARCOFFEE_REDIS_SERVER): point it at a redis-server binary, or unset it to install Debian's package"
elif install_redis && redis=$(find_redis) && [ -n "$redis" ]; then
  echo "redis-server: installed ($redis)"
else
  fail "redis-server is missing and could not be installed here$(last_words): install it with \`sudo apt-get install redis-server\` (Redis 7)"
fi

# ---- the Toxiproxy server ---------------------------------------------------------------------------

is_toxiproxy() { [ -x "$1" ] && "$1" -version 2>&1 | grep -qi toxiproxy; }

gobin() {
  local dir
  dir="$(go env GOBIN 2>/dev/null)"
  [ -n "$dir" ] || dir="$(go env GOPATH 2>/dev/null | cut -d: -f1)/bin"
  echo "$dir"
}

find_toxiproxy() {
  if [ -n "${STARCOFFEE_TOXIPROXY_SERVER:-}" ]; then
    is_toxiproxy "$STARCOFFEE_TOXIPROXY_SERVER" && echo "$STARCOFFEE_TOXIPROXY_SERVER"
    return
  fi
  if command -v toxiproxy-server >/dev/null 2>&1; then command -v toxiproxy-server; return; fi
  if command -v go >/dev/null 2>&1 && is_toxiproxy "$(gobin)/server"; then echo "$(gobin)/server"; return; fi
  if is_toxiproxy "$HOME/go/bin/server"; then echo "$HOME/go/bin/server"; fi
}

if toxiproxy=$(find_toxiproxy) && [ -n "$toxiproxy" ]; then
  echo "toxiproxy: already installed ($toxiproxy)"
elif [ -n "${STARCOFFEE_TOXIPROXY_SERVER:-}" ]; then
  fail "the Toxiproxy server was not found at $STARCOFFEE_TOXIPROXY_SERVER (STARCOFFEE_TOXIPROXY_SERVER): point it at Toxiproxy's server binary, or unset it to install it with go"
elif ! command -v go >/dev/null 2>&1; then
  fail "the Toxiproxy server is missing and Go is not installed: install Go (https://go.dev/dl/), then run \`go install $TOXIPROXY_MODULE\`"
else
  echo "toxiproxy: installing with go install $TOXIPROXY_MODULE"
  if go install "$TOXIPROXY_MODULE" >>"$log" 2>&1 && toxiproxy=$(find_toxiproxy) && [ -n "$toxiproxy" ]; then
    echo "toxiproxy: installed ($toxiproxy)"
  else
    fail "the Toxiproxy server is missing and go install failed$(last_words): run \`go install $TOXIPROXY_MODULE\`"
  fi
fi

exit $missing
