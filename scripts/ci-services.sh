#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 for the integration tests.
# Not installed at all: install them from Debian's packages and start them.
# Installed but stopped: fail, naming the command that starts them (CI must not hide an outage).
set -euo pipefail
FORGE1_PG_URL="${FORGE1_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
FORGE1_REDIS_URL="${FORGE1_REDIS_URL:-redis://127.0.0.1:6379}"

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

install_postgres() {
  echo "PostgreSQL is not installed: installing it from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  local version
  version=$(ls /etc/postgresql | sort -n | tail -1)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  su postgres -c "psql -qc 'CREATE DATABASE test'" || true
}

install_redis() {
  echo "Redis is not installed: installing it from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
}

command -v pg_isready >/dev/null && [ -d /etc/postgresql ] || install_postgres
command -v redis-server >/dev/null || install_redis

failed=0
if pg_up && psql "$FORGE1_PG_URL" -qtAc 'select 1' >/dev/null 2>&1; then
  echo "PostgreSQL reachable at 127.0.0.1:5432"
else
  echo "ERROR: PostgreSQL is not reachable at $FORGE1_PG_URL." >&2
  echo "Start it with: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  failed=1
fi
if redis_up; then
  echo "Redis reachable at 127.0.0.1:6379"
else
  echo "ERROR: Redis is not reachable at $FORGE1_REDIS_URL." >&2
  echo "Start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log" >&2
  failed=1
fi
exit "$failed"
