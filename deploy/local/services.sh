#!/usr/bin/env bash
# Installs and starts the real servers that MlOps' distributed mode and its tests use:
# PostgreSQL 15, RabbitMQ 3.10, Prometheus + Alertmanager, and Chromium for browser tests.
# Debian packages only (no Docker engine is assumed). Used by .ci/run and by developers.
#
#   deploy/local/services.sh install   apt packages (seconds when already present; nodejs brings npm for the dashboard, compose and Helm checks)
#   deploy/local/services.sh start     start PostgreSQL and RabbitMQ, wait until they answer
#   deploy/local/services.sh stop      stop what start started
#   deploy/local/services.sh status    one line per service
#   deploy/local/services.sh env       print the connection settings tests read, as shell exports
#
# Prometheus and Alertmanager are not daemons here: tests start them on their own ports
# with their own config files (see deploy/prometheus/).
set -euo pipefail

PG_VERSION=15
PG_PASSWORD=${MLOPS_TEST_PG_PASSWORD:-postgres}
PACKAGES=(postgresql rabbitmq-server prometheus prometheus-alertmanager chromium python3 libgomp1 nodejs unzip)

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "run as root (apt-get and service start need it)"
}

install() {
  need_root
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "packages present: ${PACKAGES[*]}"
    return
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Debian's maintainer scripts would start the daemons through invoke-rc.d; we start them
  # ourselves below, so forbid that (there is no init system in these containers anyway).
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # NodeSource's nodejs ships npm; Debian's does not (then its npm package is needed).
  command -v npm >/dev/null || apt-get install -y -qq --no-install-recommends npm >/dev/null
  rm -f /usr/sbin/policy-rc.d
}

start_postgres() {
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$PG_VERSION main"; then
    log "creating PostgreSQL cluster $PG_VERSION/main"
    pg_createcluster "$PG_VERSION" main >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    log "starting PostgreSQL $PG_VERSION"
    pg_ctlcluster "$PG_VERSION" main start
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 0.5
  done
  pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL did not become ready on 127.0.0.1:5432"
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD '$PG_PASSWORD'\"" >/dev/null
  log "PostgreSQL ready on 127.0.0.1:5432"
}

start_rabbitmq() {
  if rabbitmqctl -q status >/dev/null 2>&1; then
    log "RabbitMQ already running"
  else
    log "starting RabbitMQ"
    rabbitmq-server -detached
  fi
  # await_startup fails at once while the Erlang node is not up yet, so poll it.
  local deadline=$((SECONDS + 90))
  until rabbitmqctl -q await_startup >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "RabbitMQ did not start within 90 s (see /var/log/rabbitmq/)"
    sleep 1
  done
  log "RabbitMQ ready on 127.0.0.1:5672"
}

start() {
  need_root
  command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not installed: run '$0 install' first"
  command -v rabbitmq-server >/dev/null || die "RabbitMQ is not installed: run '$0 install' first"
  start_postgres
  start_rabbitmq
}

stop() {
  rabbitmqctl -q stop >/dev/null 2>&1 || true
  epmd -kill >/dev/null 2>&1 || true
  pg_ctlcluster "$PG_VERSION" main stop >/dev/null 2>&1 || true
  log "stopped"
}

status() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then echo "postgresql: up"; else echo "postgresql: down"; fi
  if rabbitmqctl -q status >/dev/null 2>&1; then echo "rabbitmq: up"; else echo "rabbitmq: down"; fi
  for b in prometheus promtool prometheus-alertmanager amtool chromium; do
    if command -v "$b" >/dev/null; then echo "$b: installed"; else echo "$b: missing"; fi
  done
}

env_exports() {
  echo "export MLOPS_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres;Password=$PG_PASSWORD'"
  echo "export MLOPS_TEST_RABBITMQ='amqp://guest:guest@127.0.0.1:5672/'"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_exports ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
