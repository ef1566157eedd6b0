#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL server the tests run the record suite against:
# Debian's postgresql package (installed if missing), a new cluster in a temporary
# directory, its superuser "postgres", trust authentication on 127.0.0.1 only, port $PORT
# (54329 unless set).
#   start: prints the admin URL to export as IOP_TEST_POSTGRES
#   stop:  stops the server and removes its cluster
set -euo pipefail
# The postgres user may not enter the caller's folder.
cd /
port="${PORT:-54329}"
dir="${PGTEST_DIR:-/tmp/iop-postgres-test}"
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
# The server refuses to run as root: as root, it runs as Debian's postgres user.
run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
start)
  if [ -z "$(bin)" ]; then
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq postgresql >/dev/null
  fi
  pg="$(bin)"
  if [ -e "$dir/postmaster.pid" ]; then run "$pg/pg_ctl" -D "$dir" -m fast stop >/dev/null || true; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  run "$pg/initdb" -D "$dir" -U postgres -A trust --no-instructions >/dev/null
  run "$pg/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  pg="$(bin)"
  if [ -e "$dir/postmaster.pid" ]; then run "$pg/pg_ctl" -D "$dir" -m fast stop >/dev/null; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
