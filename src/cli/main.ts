#!/usr/bin/env node
// The s3doctor binary. The build (scripts/bundle-cli.mjs) replaces this file with the bundled CLI (fewer files to
// load at start, run.ts first); unbundled, as tsc emits it, it just runs run.ts.

import './run.js';
