#!/bin/sh
# Stands in for a `deno compile` binary of loadgate in tests/project/compile_task_test.ts.
# A compiled binary is main.ts with its arguments: `loadgate stub ...` runs the stub.
# This script does the same through deno (from PATH), with the stub's only permission.
here=$(dirname "$0")
exec deno run --quiet --allow-net=127.0.0.1 "$here/../main.ts" "$@"
