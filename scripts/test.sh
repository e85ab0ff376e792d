#!/usr/bin/env bash
# Installs what the checks need and runs every one of them: type check, lint,
# formatting, unit and integration tests (SQLite, and PostgreSQL when
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set), and the
# end-to-end browser tests against the demo portal. Exits non-zero on the
# first failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

started=$SECONDS
step() { printf '\n==> %s (at %ss)\n' "$*" "$((SECONDS - started))"; }

step "Installing dependencies"
# The committed yarn.lock is what gets installed, on a laptop as in CI (after
# changing a package.json, run `yarn install` first to update the lock).
yarn install --immutable

# The browser tests drive Debian's Chromium: nothing is downloaded by npm.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  step "Installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium
  fi
fi

step "Type check"
yarn tsc

step "API reports"
# The published packages' report.api.md (and the CLI's cli-report.md) match
# their exported API, from the declarations the type check just wrote to
# dist-types/; after changing an API, run yarn build:api-reports and commit.
yarn build:api-reports:only --ci

step "Lint"
yarn lint

step "Formatting"
yarn prettier:check

step "Unit and integration tests"
# Database tests use TestDatabases: SQLite always, PostgreSQL through its
# connection string (never a Docker container: no engine runs here).
export BACKSTAGE_TEST_DISABLE_DOCKER=1
mkdir -p "$REPO_ROOT/test/artifacts"
CI=true yarn test --json --outputFile="$REPO_ROOT/test/artifacts/jest-results.json"

step "End-to-end tests in Chromium"
yarn test:e2e

# One closing line over both runners (Jest, then node's test runner).
node -e '
const fs = require("fs");
const jest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const e2e = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const passed = jest.numPassedTests + e2e.passed;
const failed = jest.numFailedTests + e2e.failed;
console.log(`\n${passed} passed, ${failed} failed`);
' "$REPO_ROOT/test/artifacts/jest-results.json" "$REPO_ROOT/test/artifacts/e2e-summary.json"
printf 'All checks passed in %ss.\n' "$((SECONDS - started))"
