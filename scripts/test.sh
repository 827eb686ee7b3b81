#!/usr/bin/env bash
# Runs every test file under test/ with Node's built-in runner (tsx for TypeScript).
# Node 20 does not expand globs itself and finds nothing without arguments, so the list is explicit.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" "$@" "${files[@]}"
