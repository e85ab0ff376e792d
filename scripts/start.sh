#!/usr/bin/env bash
# Installs what the portal needs (Node.js 22 if the system's is older, Yarn 4,
# the workspace's packages) and starts it on the embedded default: SQLite in
# memory, guest sign-in, the demo clusters from snapshot files.
# Frontend: http://localhost:3000  Backend: http://localhost:7007
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

echo "[start] installing dependencies"
yarn install
echo "[start] starting the portal: http://localhost:3000 (backend on :7007)"
exec yarn start
