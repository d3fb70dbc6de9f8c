#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server: a temporary cluster listening
# on a free loopback port, removed afterwards. Never touches the system cluster.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL absent (paquet Debian postgresql)." >&2; exit 1; }
workdir=$(mktemp -d /tmp/paliers-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres "$workdir"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT
"${as_owner[@]}" "$bindir/initdb" -D "$workdir/data" -U paliers --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w start \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') temporaire sur 127.0.0.1:$port"
# The fault tests restart this server under load: they need to know where it lives.
PALIERS_PG_DATA="$workdir/data" PALIERS_PG_BIN="$bindir" \
  DATABASE_URL="postgres://paliers@127.0.0.1:$port/paliers" "$@"
