#!/usr/bin/env bash
# Sourced by every entry script (and by hand: `source scripts/env.sh`):
# makes Node.js 22+ and Yarn 4 (through corepack) available without touching
# the system. Where the system Node is older, the npm package `node@22` is
# installed into .tools/ (git-ignored) and put first on PATH. Registry and
# header locations are read at run time, never written down. It leaves the
# caller's shell options alone, so an interactive shell that sources it does
# not exit on the next failing command.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
export REPO_ROOT
export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/node_modules/node/bin:$PATH"

aks_env_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

aks_env_setup() {
  if [ "$(aks_env_node_major)" -lt 22 ]; then
    if [ ! -x "$TOOLS_DIR/node_modules/node/bin/node" ]; then
      echo "[setup] system Node.js is $(node --version 2>/dev/null || echo missing); installing node@22 into .tools/" >&2
      mkdir -p "$TOOLS_DIR" &&
        npm install --prefix "$TOOLS_DIR" --no-save --no-audit --no-fund --loglevel=error node@22 >&2 ||
        return 1
    fi
    hash -r
  fi
  if [ "$(aks_env_node_major)" -lt 22 ]; then
    echo "[setup] could not provide Node.js 22+; found $(node --version 2>/dev/null)" >&2
    return 1
  fi

  # Native addons (better-sqlite3) build against the running Node's headers.
  local headers
  headers="$(ls -d "$TOOLS_DIR"/node_modules/node/node_modules/node-*/include/node 2>/dev/null | head -n 1 || true)"
  if [ "$(command -v node)" = "$TOOLS_DIR/node_modules/node/bin/node" ] && [ -n "$headers" ]; then
    export npm_config_nodedir="$(dirname "$(dirname "$headers")")"
  else
    local sysdir
    sysdir="$(cd / && npm config get nodedir 2>/dev/null || true)"
    if [ -n "$sysdir" ] && [ "$sysdir" != "undefined" ] && [ "$sysdir" != "null" ]; then
      export npm_config_nodedir="$sysdir"
    fi
  fi

  # Yarn 4 through corepack, shimmed into .tools/bin.
  local registry
  registry="$(cd / && npm config get registry)"
  export COREPACK_NPM_REGISTRY="${registry%/}"
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  export COREPACK_DEFAULT_TO_LATEST=0
  if [ ! -x "$TOOLS_DIR/bin/yarn" ]; then
    mkdir -p "$TOOLS_DIR/bin" && corepack enable --install-directory "$TOOLS_DIR/bin" >&2 || return 1
  fi
}

aks_env_setup
