#!/usr/bin/env node
// Launcher for the simulator's CLI: registers tsx so the TypeScript sources run as they are.
'use strict';
require('tsx/cjs');
const { main } = require('../simulator/cli.ts');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
