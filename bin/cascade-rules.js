#!/usr/bin/env node
// Launcher for the Cascade Watch rule generator (alerts/cli.ts), run through tsx without a build step.
require('tsx/cjs');
const { run } = require('../alerts/cli.ts');

process.exitCode = run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
