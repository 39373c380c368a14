#!/usr/bin/env bash
# Local PostgreSQL and Redis servers for trying the scaled mode on one Debian machine
# (and for the second pass of the test suite). Both come from Debian's packages, listen on
# 127.0.0.1 only, and keep their data under data/services/ (or $YONGIN_SERVICES_DIR).
#
# Usage: scripts/local-services.sh start|stop|status|env
#   start   installs the packages if missing, starts both servers, prints the URLs to export:
#           eval "$(bash scripts/local-services.sh start)"
#   stop    stops both servers (the data stays for the next start)
#   status  exits 0 when both servers answer
#   env     prints the export lines again
set -euo pipefail
cd "$(dirname "$0")/.."

services_dir="${YONGIN_SERVICES_DIR:-$PWD/data/services}"
pg_port="${YONGIN_LOCAL_PG_PORT:-55432}"
redis_port="${YONGIN_LOCAL_REDIS_PORT:-56379}"
pg_data="$services_dir/postgresql"
redis_dir="$services_dir/redis"
pg_user=yongin
# A loopback-only server for trying things out: the password guards against other local users.
pg_password_file="$services_dir/pg-password"

sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"

pg_bin() {
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$initdb" ] && dirname "$initdb"
}

install_packages() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    $sudo_cmd apt-get update -qq
    # policy-rc.d style: the packages' own system services are not needed, ours run below.
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# PostgreSQL refuses to run as root: run its programs as the 'postgres' user when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

urls() {
  local password
  password="$(cat "$pg_password_file")"
  echo "export YONGIN_DATABASE_URL='postgresql+psycopg://$pg_user:$password@127.0.0.1:$pg_port/yongin'"
  echo "export YONGIN_REDIS_URL='redis://127.0.0.1:$redis_port/0'"
}

start() {
  install_packages
  local bin
  bin="$(pg_bin)"
  mkdir -p "$services_dir" "$redis_dir"
  [ -f "$pg_password_file" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pg_password_file")
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    mkdir -p "$pg_data"
    if [ "$(id -u)" = 0 ]; then chown postgres "$pg_data" "$services_dir"; chmod 700 "$pg_data"; fi
    local pwfile
    pwfile="$(mktemp)"
    cat "$pg_password_file" > "$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
    as_pg "$bin/initdb" -D "$pg_data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  if ! as_pg "$bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w start \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_data -c max_connections=200 -c fsync=${YONGIN_LOCAL_PG_FSYNC:-on}" >/dev/null
  fi
  local password
  password="$(cat "$pg_password_file")"
  export PGPASSWORD="$password"
  local psql=("$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  if [ -z "$("${psql[@]}" -c "select 1 from pg_roles where rolname = '$pg_user'")" ]; then
    "${psql[@]}" -c "create role $pg_user login createdb password '$password'"
  fi
  if [ -z "$("${psql[@]}" -c "select 1 from pg_database where datname = 'yongin'")" ]; then
    "${psql[@]}" -c "create database yongin owner $pg_user"
  fi
  if ! redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then
    # Reflex's token manager listens to keyspace events; no persistence: states are short-lived.
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" --daemonize yes \
      --save "" --appendonly no --notify-keyspace-events KEA --logfile "$redis_dir/redis.log"
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
  fi
  urls
}

stop() {
  local bin
  bin="$(pg_bin)"
  if [ -n "$bin" ] && [ -f "$pg_data/PG_VERSION" ]; then
    as_pg "$bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
  fi
  redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}

status() {
  local bin
  bin="$(pg_bin)"
  [ -n "$bin" ] && [ -f "$pg_data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1 \
    && redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) urls ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
