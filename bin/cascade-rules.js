#!/usr/bin/env node
// Launcher for the Cascade Watch rule generator (alerts/cli.ts), run through tsx without a build step.
require('tsx/cjs');
const { main } = require('../alerts/cli.ts');

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY,
}).then((code) => {
  process.exitCode = code;
});
