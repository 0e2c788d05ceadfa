#!/usr/bin/env node
// Entry point of the `skyguard` command: runs the compiled CLI (built by `npm run build`).
import '../dist/main/cli.js';
