#!/usr/bin/env bash
# Every check of the project, as CI runs it: typecheck, lint, build, then all test suites in one jest run
# (the panel under jsdom; the simulator, the rule pack with promtool, the dashboards and the scripts in Node;
# the built plugin in Chromium). Prints one last line: "N passed, N failed", each jest test and each of the
# first three steps counting one. Exit status 0 only when nothing failed.
set -u
cd "$(dirname "$0")/.."
mkdir -p artifacts

passed=0
failed=0
step() {
  local name=$1
  shift
  echo "== $name: $*"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "== FAILED: $name"
  fi
}

step typecheck npx tsc --noEmit
step lint npx eslint --max-warnings=0 .
step build npm run --silent build

echo "== tests: jest (all projects)"
rm -f artifacts/jest.json
npx jest --ci --json --outputFile=artifacts/jest.json "$@"
if [ -s artifacts/jest.json ]; then
  read -r jp jf < <(node -e '
    const r = require("./artifacts/jest.json");
    // A suite that fails to load has no failed tests but must count; skipped tests count as failures too.
    const broken = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.every((a) => a.status !== "failed")).length;
    console.log(r.numPassedTests, r.numFailedTests + r.numPendingTests + r.numTodoTests + broken);
  ')
else
  jp=0
  jf=1
  echo "== FAILED: jest wrote no results"
fi
passed=$((passed + jp))
failed=$((failed + jf))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
