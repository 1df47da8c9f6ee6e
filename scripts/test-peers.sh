#!/usr/bin/env bash
# Gets the peers the test suites talk to ready on this machine: PostgreSQL at TEST_DATABASE_URL
# (default postgresql://postgres@127.0.0.1:5432/test) with its database created, and Chromium at
# TEST_CHROMIUM_PATH (default /usr/bin/chromium). On Debian, as root or with password-less sudo, it
# installs and starts what is missing with apt (and fonts-noto-cjk, so screenshots of the Japanese
# console show Japanese text); anywhere else it says what to run instead.
#
# Usage: npm run test:peers [-- --trust-local]
#   --trust-local  when the local PostgreSQL asks for a password, let its user connect over
#                  127.0.0.1 without one (adds a line to pg_hba.conf). For machines used only for
#                  development or CI; CI=true implies it.
# Exit code 0 when every peer is ready, 1 when something is missing (with what to do printed).
set -euo pipefail

trust_local=0
for argument in "$@"; do
  case "$argument" in
    --trust-local) trust_local=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'Unknown option "%s". Usage: npm run test:peers [-- --trust-local]\n' "$argument" >&2; exit 2 ;;
  esac
done
case "${CI:-}" in '' | 0 | false | FALSE) ;; *) trust_local=1 ;; esac

say() { printf '%s\n' "$*"; }
ready() { printf '  ready: %s\n' "$*"; }
todo() { printf '  MISSING: %s\n' "$*"; missing=$((missing + 1)); }
missing=0

# Root, or password-less sudo, or nothing: how (and whether) this script may install and start services.
can_root=0
if [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then can_root=1; fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
debian=0
if [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then debian=1; fi
can_apt=$((debian * can_root))

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# ---------------------------------------------------------------------------------------------------
say "Chromium (the console end-to-end suite)"
chromium_path="${TEST_CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ] && [ -z "${TEST_CHROMIUM_PATH:-}" ] && [ "$can_apt" = 1 ]; then
  say "  installing Debian's chromium package"
  apt_install chromium
fi
if [ -x "$chromium_path" ]; then
  ready "$("$chromium_path" --version 2>/dev/null || echo "$chromium_path")"
else
  todo "no Chromium at $chromium_path."
  if [ -n "${TEST_CHROMIUM_PATH:-}" ]; then say "    TEST_CHROMIUM_PATH should name a Chromium or Chrome executable (unset it for /usr/bin/chromium)."
  elif [ "$debian" = 1 ]; then say "    Install it: sudo apt-get install chromium"
  else
    say "    Install Chromium or Chrome with the system's package manager (Fedora: sudo dnf install chromium;"
    say "    macOS: brew install --cask chromium), then point the suite at it, e.g."
    say "    export TEST_CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium"
  fi
  say "    Without it the suite is skipped (and fails under CI=true)."
fi

# Japanese text in the console's screenshots (test-artifacts/e2e-ja) needs a CJK font; the tests
# themselves read the page's text, so a missing font only makes the screenshots show boxes.
has_japanese_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=ja family 2>/dev/null | head -n 1)" ]; }
if ! has_japanese_font && [ "$can_apt" = 1 ]; then
  say "  installing Debian's fonts-noto-cjk (Japanese text in the browser screenshots)"
  apt_install fonts-noto-cjk fontconfig
fi
if has_japanese_font; then
  ready "a Japanese font ($(fc-list :lang=ja family | head -n 1 | cut -d, -f1))"
else
  say "  note: no Japanese font; screenshots of the Japanese console will show boxes (Debian: sudo apt-get install fonts-noto-cjk)."
fi

# ---------------------------------------------------------------------------------------------------
say "PostgreSQL (the store contract, multi-process and multi-replica suites)"
url="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
# postgresql://user[:password]@host[:port]/database[?options]
pattern='^(postgres|postgresql)://([^:@/]+)(:[^@/]*)?@([^:/?]+)(:([0-9]+))?/([^?]+)(\?.*)?$'
if [[ ! "$url" =~ $pattern ]]; then
  todo "TEST_DATABASE_URL ($url) is not of the form postgresql://user[:password]@host[:port]/database."
  say ""; say "Peers missing: $missing."; exit 1
fi
user="${BASH_REMATCH[2]}"
credentials="${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
host="${BASH_REMATCH[4]}"
port="${BASH_REMATCH[6]:-5432}"
database="${BASH_REMATCH[7]}"
options="${BASH_REMATCH[8]}"
admin_url="${BASH_REMATCH[1]}://${credentials}@${host}:${port}/postgres${options}"
local_server=0
case "$host" in 127.0.0.1 | localhost | ::1 | '[::1]') local_server=1 ;; esac
export PGCONNECT_TIMEOUT=3

server_up() {
  if command -v pg_isready >/dev/null 2>&1; then pg_isready -q -h "$host" -p "$port"
  else (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; fi
}

docker_hint() {
  say "    Or run one in a container (any OS with Docker or Podman):"
  say "      docker run -d --name shishin-postgres -p $port:5432 -e POSTGRES_USER=$user -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16"
  say "    then run npm run test:peers again to create the database."
}

if ! server_up && [ "$local_server" = 1 ]; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && [ "$can_apt" = 1 ]; then
    say "  installing Debian's postgresql package"
    apt_install postgresql
  fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$can_root" = 1 ]; then
    started=0
    for version in $(ls /etc/postgresql 2>/dev/null); do
      for cluster in $(ls "/etc/postgresql/$version" 2>/dev/null); do
        say "  starting the PostgreSQL $version cluster \"$cluster\""
        if as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start; then started=1; fi
      done
    done
    if [ "$started" = 1 ]; then for _ in $(seq 1 30); do server_up && break; sleep 1; done; fi
  fi
fi

if server_up && ! command -v psql >/dev/null 2>&1 && [ "$can_apt" = 1 ]; then
  say "  installing Debian's postgresql-client package (psql)"
  apt_install postgresql-client
fi

if ! server_up; then
  todo "nothing answers at $host:$port."
  if [ "$local_server" = 1 ]; then
    if [ "$debian" = 1 ]; then say "    Install and start it: sudo apt-get install postgresql && sudo pg_ctlcluster --skip-systemctl-redirect <version> main start"
    else say "    Install PostgreSQL with the system's package manager (macOS: brew install postgresql@16 && brew services start postgresql@16)."; fi
    docker_hint
  else
    say "    Start the server at $host:$port, or point TEST_DATABASE_URL at one that runs."
  fi
  say "    Or skip the PostgreSQL suites explicitly: SHISHIN_SKIP_POSTGRES=1 npm test (they fail under CI=true)."
elif ! command -v psql >/dev/null 2>&1; then
  todo "psql (the PostgreSQL client) is needed to check the server and create the \"$database\" database."
  if [ "$debian" = 1 ]; then say "    Install it: sudo apt-get install postgresql-client"; else say "    Install the PostgreSQL client tools (macOS: brew install libpq)."; fi
else
  # Can the test user log in over TCP, as the suites do?
  if ! problem="$(psql -w "$admin_url" -Atqc 'select 1' 2>&1 >/dev/null)"; then
    if [ "$trust_local" = 1 ] && [ "$local_server" = 1 ] && [ "$can_root" = 1 ] && id postgres >/dev/null 2>&1 &&
      hba="$(as_root runuser -u postgres -- psql -w -p "$port" -Atqc 'show hba_file' 2>/dev/null)" && [ -n "$hba" ]; then
      say "  letting \"$user\" connect over 127.0.0.1 without a password ($hba)"
      rule_v4="host all $user 127.0.0.1/32 trust"
      rule_v6="host all $user ::1/128 trust"
      if ! as_root grep -qxF "$rule_v4" "$hba"; then
        as_root sed -i "1i # Added by npm run test:peers (--trust-local) for the test suites.\n$rule_v4\n$rule_v6" "$hba"
      fi
      as_root runuser -u postgres -- psql -w -p "$port" -Atqc 'select pg_reload_conf()' >/dev/null
      if [ "$user" != postgres ]; then
        as_root runuser -u postgres -- psql -w -p "$port" -Atqc "do \$\$ begin if not exists (select from pg_roles where rolname = '$user') then create role \"$user\" login superuser; end if; end \$\$" >/dev/null
      fi
      problem="$(psql -w "$admin_url" -Atqc 'select 1' 2>&1 >/dev/null)" || true
    fi
  fi
  if ! psql -w "$admin_url" -Atqc 'select 1' >/dev/null 2>&1; then
    todo "cannot log in to $host:$port as \"$user\": $(printf '%s\n' "${problem:-unknown error}" | grep -v '^[[:space:]]*$' | tail -n 1)"
    say "    Put the password in the URL: export TEST_DATABASE_URL=postgresql://$user:PASSWORD@$host:$port/$database"
    if [ "$local_server" = 1 ]; then
      say "    Or, on a machine used only for development, let \"$user\" in over 127.0.0.1 without a password:"
      say "      npm run test:peers -- --trust-local     (needs root or password-less sudo)"
    fi
  else
    exists="$(psql -w "$admin_url" -Atqc "select 1 from pg_database where datname = '$database'")"
    if [ "$exists" != 1 ]; then
      say "  creating the database \"$database\""
      psql -w "$admin_url" -Atqc "create database \"$database\"" >/dev/null
    fi
    ready "$(psql -w "$url" -Atqc 'show server_version') at $host:$port, database \"$database\""
  fi
fi

say ""
if [ "$missing" = 0 ]; then
  say "All test peers are ready."
  if [ -n "${TEST_DATABASE_URL:-}" ]; then say "Keep TEST_DATABASE_URL=$TEST_DATABASE_URL set when you run npm test."; fi
  exit 0
fi
say "Peers missing: $missing (see above). npm test fails the suites that need them unless they are skipped explicitly."
exit 1
