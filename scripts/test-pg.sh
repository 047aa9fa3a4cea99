#!/usr/bin/env bash
# Runs the tests that touch the database again on PostgreSQL. Each test file gets its own
# fresh database on the server (test/helpers/database.ts), dropped when the file finishes.
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

if ! node -e '
  const c = new (require("pg").Client)({ connectionString: process.argv[1] });
  c.connect().then(() => c.end()).catch((e) => { console.error(e.message); process.exit(1); });
' "$TEST_DATABASE_URL"; then
  echo "PostgreSQL does not answer at $TEST_DATABASE_URL" >&2
  exit 1
fi

# The integration suite, plus any test beside the code that builds an app or a database.
mapfile -t beside < <(grep -rlE 'testApp|freshDatabase' src --include='*.test.ts' || true)
echo "Running on $TEST_DATABASE_URL: test/integration ${beside[*]}"
exec npx vitest run test/integration "${beside[@]}"
