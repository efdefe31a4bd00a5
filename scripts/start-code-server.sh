#!/usr/bin/env bash
# Starts code-server in its own process group (setsid), so the caller stops all of it with: kill -- -PGID
# usage: scripts/start-code-server.sh CODE_SERVER_BIN PORT DATA_DIR [extra code-server args...]
# Prints the PGID (the started process's PID) once /healthz answers. Log: DATA_DIR/code-server.log.
# Settings that keep the workbench quiet and deterministic go to DATA_DIR/ud/User/settings.json;
# an existing --extensions-dir/--user-data-dir in the extra args wins (the later flag is code-server's).
set -euo pipefail
CS=$1; PORT=$2; DATA=$3; shift 3
# LZ_WORKSPACE_TRUST=1: workspace trust on, no prompt, so the folder opens in Restricted Mode.
TRUST=false; TRUST_ARGS=(--disable-workspace-trust)
if [ "${LZ_WORKSPACE_TRUST:-}" = 1 ]; then TRUST=true; TRUST_ARGS=(); fi
mkdir -p "$DATA/ud/User" "$DATA/ext"
cat > "$DATA/ud/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "security.workspace.trust.enabled": $TRUST,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.emptyWindow": false,
  "window.restoreWindows": "none"
}
JSON
setsid "$CS" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  "${TRUST_ARGS[@]}" --disable-getting-started-override \
  --user-data-dir "$DATA/ud" --extensions-dir "$DATA/ext" "$@" \
  > "$DATA/code-server.log" 2>&1 < /dev/null &
PID=$!
for _ in $(seq 1 300); do
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; then echo "$PID"; exit 0; fi
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.2
done
echo "code-server did not come up on :$PORT; log:" >&2; cat "$DATA/code-server.log" >&2
kill -- "-$PID" 2>/dev/null || true
exit 1
