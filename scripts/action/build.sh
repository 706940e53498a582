#!/usr/bin/env bash
# action.yml step "Build s3doctor": installs and builds the CLI in the action's own checkout, once.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
if [ -f dist/src/cli/main.js ]; then
  echo "s3doctor already built"
  exit 0
fi
npm ci --no-audit --no-fund
npm run build
