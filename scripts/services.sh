#!/usr/bin/env bash
# Bring up, on loopback, a real PostgreSQL server and a real single-node Apache
# Kafka broker (KRaft) for the ICJS gateway's production mode and its tests.
#
#   scripts/services.sh up     [postgres|kafka|chromium]...  install what is missing, start what is not running
#   scripts/services.sh down   [postgres|kafka|chromium]...  stop what this script started (nothing else)
#   scripts/services.sh status [postgres|kafka|chromium]...  say what is running
#
# chromium is no server: `up` installs Debian's chromium and chromium-driver when missing,
# for the web console's browser tests (tests/console/); there is nothing to start or stop.
#
# Progress goes to stderr; `up` prints the env lines on stdout and writes them,
# with `export`, to var/services.env.  See scripts/README.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VAR="$REPO/var"
PG_STATE="$VAR/pg"
KAFKA_HOME="$VAR/kafka"
ENV_FILE="$VAR/services.env"
POM="$REPO/scripts/kafka/pom.xml"

# Ports this checkout moved to before (because another checkout's servers held the
# defaults), so that `up` after `down` finds its own servers on the same ports again.
PORTS_FILE="$VAR/ports"
saved_port() { if [ -f "$PORTS_FILE" ]; then sed -n "s/^$1=//p" "$PORTS_FILE" | tail -1; fi; }
save_port() {
  mkdir -p "$VAR"
  { grep -v "^$1=" "$PORTS_FILE" 2>/dev/null || true; echo "$1=$2"; } > "$PORTS_FILE.tmp"
  mv -f "$PORTS_FILE.tmp" "$PORTS_FILE"
}
PG_PORT="${ICJS_PG_PORT:-$(saved_port pg)}"; PG_PORT="${PG_PORT:-55432}"
KAFKA_PORT="${ICJS_KAFKA_PORT:-$(saved_port kafka)}"; KAFKA_PORT="${KAFKA_PORT:-59092}"
KAFKA_CONTROLLER_PORT="${ICJS_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
TIMEOUT="${ICJS_SERVICES_TIMEOUT:-120}"   # seconds, for each wait
HOST=127.0.0.1

PG_URL="postgresql+psycopg://icjs:icjs@$HOST:$PG_PORT/icjs"
PG_TEST_URL="postgresql+psycopg://icjs:icjs@$HOST:$PG_PORT/icjs_test"
KAFKA_BOOTSTRAP="$HOST:$KAFKA_PORT"

say() { printf '>> %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
die() { printf 'services.sh: error: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# The first port from $1 on (stepping by $2, at most 20 tries) where $2 consecutive ports
# are free. Another checkout's servers may hold the defaults: a second clone on the same
# machine then gets its own servers instead of failing.
free_ports_from() {
  local port="$1" span="$2" i k busy
  for i in $(seq 0 19); do
    busy=0
    for k in $(seq 0 $((span - 1))); do
      port_open $((port + k)) && { busy=1; break; }
    done
    [ "$busy" -eq 0 ] && { echo "$port"; return 0; }
    port=$((port + 10))
  done
  return 1
}

apt_updated=0
apt_install() {
  is_root || die "need root to install Debian packages: $*"
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    timeout 600 apt-get update -q >&2 || die "apt-get update failed"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q "$@" >&2 \
    || die "apt-get install $* failed"
}

# ---------------------------------------------------------------- PostgreSQL

PG_BIN=""
find_pg_bin() {
  local d best=""
  # Debian's layout first, highest version wins (version sort: 9.6 < 15)
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best="$d"
  done
  if [ -z "$best" ] && command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    best="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
  fi
  PG_BIN="$best"
  [ -n "$PG_BIN" ]
}

# The data dir, socket dir and log live in var/pg when the `postgres` user can
# reach it; otherwise (repo under a dir it cannot traverse, or a path too long
# for a unix socket) in /var/tmp/icjs-pg-<hash of the repo path>, recorded in
# var/pg/location.
PG_HOME=""
pg_home() {
  if [ -f "$PG_STATE/location" ]; then
    PG_HOME="$(cat "$PG_STATE/location")"
  else
    PG_HOME="$PG_STATE"
  fi
}

PG_USER=""
pg_run() {  # run a command as the user that owns the cluster
  if [ "$PG_USER" = "$(id -un)" ]; then "$@"; else runuser -u "$PG_USER" -- "$@"; fi
}

pg_prepare_home() {
  mkdir -p "$PG_STATE"
  if is_root; then
    PG_USER=postgres
    if ! id postgres >/dev/null 2>&1; then
      say "creating system user postgres"
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
  else
    PG_USER="$(id -un)"
  fi
  pg_home
  if [ -d "$PG_HOME/data" ]; then return 0; fi
  # First start: pick the place.
  chmod o+x "$VAR" "$PG_STATE" 2>/dev/null || true
  local sock_len=$(( ${#PG_STATE} + ${#PG_PORT} + 15 ))   # <dir>/run/.s.PGSQL.<port>
  if is_root; then chown "$PG_USER:" "$PG_STATE"; fi
  if [ "$sock_len" -lt 100 ] && pg_run test -w "$PG_STATE" -a -x "$PG_STATE"; then
    PG_HOME="$PG_STATE"
    rm -f "$PG_STATE/location"
  else
    PG_HOME="/var/tmp/icjs-pg-$(printf '%s' "$REPO" | sha1sum | cut -c1-12)"
    note "the postgres user cannot use $PG_STATE (or the socket path would be too long): data goes to $PG_HOME"
    mkdir -p "$PG_HOME"
    if is_root; then chown "$PG_USER:" "$PG_HOME"; fi
    chmod 700 "$PG_HOME"
    printf '%s\n' "$PG_HOME" > "$PG_STATE/location"
  fi
}

pg_running() {  # our cluster is running
  pg_home
  [ -f "$PG_HOME/data/postmaster.pid" ] || return 1
  local pid; pid="$(head -1 "$PG_HOME/data/postmaster.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && \
    grep -q postgres "/proc/$pid/comm" 2>/dev/null
}

pg_running_port() { sed -n 4p "$PG_HOME/data/postmaster.pid" 2>/dev/null; }
pg_running_pid() { head -1 "$PG_HOME/data/postmaster.pid" 2>/dev/null; }

pg_up() {
  if [ -n "${ICJS_DATABASE_URL:-}" ] && [ "$ICJS_DATABASE_URL" != "$PG_URL" ]; then
    say "postgresql: ICJS_DATABASE_URL is set, using that server (not starting one)"
    DB_LINE="$ICJS_DATABASE_URL"
    return 0
  fi
  if ! find_pg_bin; then
    say "installing postgresql from Debian packages"
    apt_install postgresql
    find_pg_bin || die "postgresql installed but no initdb/pg_ctl found under /usr/lib/postgresql/*/bin"
  fi
  pg_prepare_home
  local data="$PG_HOME/data" sock="$PG_HOME/run" log="$PG_HOME/postgres.log"

  if pg_running; then
    local port; port="$(pg_running_port)"
    say "postgresql already running (pid $(pg_running_pid)) on $HOST:$port, reusing it"
    if [ "$port" != "$PG_PORT" ]; then
      note "it listens on $port, not $PG_PORT: run 'scripts/services.sh down postgres' first to change the port"
      PG_PORT="$port"
      PG_URL="postgresql+psycopg://icjs:icjs@$HOST:$PG_PORT/icjs"
      PG_TEST_URL="postgresql+psycopg://icjs:icjs@$HOST:$PG_PORT/icjs_test"
    fi
  else
    if port_open "$PG_PORT"; then
      [ -z "${ICJS_PG_PORT:-}" ] \
        || die "port $HOST:$PG_PORT (ICJS_PG_PORT) is taken by a server this script did not start; choose another port, or set ICJS_DATABASE_URL to use that server"
      local taken="$PG_PORT"
      PG_PORT="$(free_ports_from $((PG_PORT + 10)) 1)" \
        || die "port $HOST:$taken and the next ones are taken; set ICJS_PG_PORT to a free port"
      note "port $taken is taken by a server this script did not start (another checkout?): using $PG_PORT"
      save_port pg "$PG_PORT"
      PG_URL="postgresql+psycopg://icjs:icjs@$HOST:$PG_PORT/icjs"
      PG_TEST_URL="postgresql+psycopg://icjs:icjs@$HOST:$PG_PORT/icjs_test"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      say "initdb $data ($("$PG_BIN/postgres" --version))"
      pg_run mkdir -p "$data"
      chmod 700 "$data"
      pg_run "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C \
        > "$PG_HOME/initdb.log" 2>&1 || { tail -20 "$PG_HOME/initdb.log" >&2; die "initdb failed, see $PG_HOME/initdb.log"; }
    fi
    pg_run mkdir -p "$sock"
    say "starting postgresql on $HOST:$PG_PORT (log: $log)"
    # Dev/test server: data under var/ is disposable, so durability is traded
    # for speed (fsync=off survives a killed server, not a power cut).
    setsid "$(command -v runuser)" -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t "$TIMEOUT" \
      -o "-c listen_addresses=$HOST -p $PG_PORT -c unix_socket_directories='$sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start < /dev/null > "$PG_HOME/pg_ctl.out" 2>&1 9>&- \
      || { tail -20 "$log" >&2 2>/dev/null || true; die "postgresql did not start, see $log"; }
  fi

  printf 'waiting for postgresql on %s:%s ...' "$HOST" "$PG_PORT" >&2
  local deadline=$((SECONDS + TIMEOUT))
  until "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 2; do
    [ "$SECONDS" -lt "$deadline" ] || { echo >&2; die "postgresql not ready after ${TIMEOUT}s, see $log"; }
    sleep 0.3
  done
  echo " ready" >&2

  # Role and databases, every time (cheap, and repairs a dropped role or db).
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<'SQL' \
    || die "could not create role/databases icjs, icjs_test (see $log)"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'icjs') THEN
    CREATE ROLE icjs LOGIN PASSWORD 'icjs';
  END IF;
END $$;
SELECT 'CREATE DATABASE icjs OWNER icjs' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'icjs') \gexec
SELECT 'CREATE DATABASE icjs_test OWNER icjs' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'icjs_test') \gexec
SQL
  DB_LINE="$PG_URL"
}

pg_down() {
  pg_home
  if ! pg_running; then say "postgresql (ours) is not running"; return 0; fi
  find_pg_bin || die "no pg_ctl found to stop the server in $PG_HOME/data"
  if is_root; then PG_USER="$(stat -c %U "$PG_HOME/data")"; else PG_USER="$(id -un)"; fi
  say "stopping postgresql (pid $(pg_running_pid), data $PG_HOME/data)"
  pg_run "$PG_BIN/pg_ctl" -D "$PG_HOME/data" -m fast -w -t "$TIMEOUT" stop >/dev/null \
    || die "pg_ctl stop failed, see $PG_HOME/postgres.log"
}

pg_status() {
  pg_home
  if pg_running; then
    echo "postgresql: running, pid $(pg_running_pid), $HOST:$(pg_running_port), data $PG_HOME/data, log $PG_HOME/postgres.log (started by this script)"
  else
    echo "postgresql: not running (ours; data $PG_HOME/data)"
  fi
  if [ -n "${ICJS_DATABASE_URL:-}" ] && [ "$ICJS_DATABASE_URL" != "$PG_URL" ]; then
    echo "postgresql: ICJS_DATABASE_URL is set to another server: ${ICJS_DATABASE_URL}"
  fi
}

# --------------------------------------------------------------------- Kafka

kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -1
}

JAVA=""
find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null; then JAVA="$(command -v java)"
  else
    say "installing a Java runtime from Debian packages"
    apt_install openjdk-17-jre-headless
    JAVA="$(command -v java)"
  fi
  local v
  v="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "Kafka 4.x needs Java 17 or newer; $JAVA is Java $v (set JAVA_HOME)"
}

kafka_pid() {  # pid of our broker, or nothing
  local pid
  [ -f "$KAFKA_HOME/kafka.pid" ] || return 1
  pid="$(cat "$KAFKA_HOME/kafka.pid")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && \
     tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $KAFKA_HOME/server.properties"; then
    echo "$pid"
  else
    return 1
  fi
}

kafka_fetch_jars() {
  local version="$1" lib="$KAFKA_HOME/lib" stamp
  stamp="$version $(sha1sum < "$POM" | cut -c1-12)"   # any edit of the POM re-gathers
  if [ -f "$lib/.complete" ] && [ "$(cat "$lib/.complete")" = "$stamp" ] && \
     [ -f "$lib/kafka_2.13-$version.jar" ]; then
    return 0
  fi
  if ! command -v mvn >/dev/null; then
    say "installing maven from Debian packages"
    apt_install maven
  fi
  say "downloading Apache Kafka $version jars from Maven Central (mvn, log: $KAFKA_HOME/mvn.log)"
  rm -rf "$lib"; mkdir -p "$lib"
  # Progress: a line per 25 files fetched (plugins, POMs and jars); the full
  # output is in mvn.log.  Nothing is fetched when ~/.m2 already has them.
  timeout 1200 mvn -B -f "$POM" dependency:copy-dependencies \
      -DoutputDirectory="$lib" -DincludeScope=runtime 2>&1 \
    | tee "$KAFKA_HOME/mvn.log" \
    | awk '/^\[INFO\] Downloaded from /{ if (++n % 25 == 0) { printf "   fetched %d files from Maven Central\n", n > "/dev/stderr"; fflush("/dev/stderr") } }
           /^\[INFO\] Copying /{ c++ }
           END { printf "   fetched %d files, copied %d jars\n", n, c > "/dev/stderr" }' \
    || { tail -30 "$KAFKA_HOME/mvn.log" >&2; die "mvn could not gather the Kafka jars, see $KAFKA_HOME/mvn.log"; }
  [ -f "$lib/kafka_2.13-$version.jar" ] || die "kafka_2.13-$version.jar missing after mvn, see $KAFKA_HOME/mvn.log"
  note "$(ls "$lib"/*.jar | wc -l) jars, $(du -sh "$lib" | cut -f1) in $lib"
  echo "$stamp" > "$lib/.complete"
}

kafka_write_config() {
  local data="$KAFKA_HOME/data"
  cat > "$KAFKA_HOME/server.properties" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=3
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=16777216
EOF
  cat > "$KAFKA_HOME/log4j2.properties" <<EOF
# Quiet broker logging: warnings, plus the start/stop lines, to stdout
# (redirected to var/kafka/server.log).
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c{1})%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = info
logger.appinfo.name = org.apache.kafka.common.utils.AppInfoParser
logger.appinfo.level = info
logger.kafka.name = kafka.Kafka\$
logger.kafka.level = info
EOF
}

kafka_format() {
  local data="$KAFKA_HOME/data" ports="$KAFKA_PORT,$KAFKA_CONTROLLER_PORT"
  if [ -f "$data/meta.properties" ]; then
    if [ "$(cat "$KAFKA_HOME/data.ports" 2>/dev/null)" = "$ports" ]; then return 0; fi
    say "kafka ports changed (was $(cat "$KAFKA_HOME/data.ports" 2>/dev/null || echo '?'), now $ports): re-formatting $data"
    rm -rf "$data"
  fi
  local cp="$KAFKA_HOME/lib/*" id
  local jopts=(-Xmx256m -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties")
  id="$(timeout 120 "$JAVA" "${jopts[@]}" -cp "$cp" kafka.tools.StorageTool random-uuid 2>>"$KAFKA_HOME/format.log" | tail -1)"
  [ -n "$id" ] || die "kafka.tools.StorageTool random-uuid failed, see $KAFKA_HOME/format.log"
  say "formatting kafka storage $data (cluster id $id)"
  echo "$id" > "$KAFKA_HOME/cluster.id"
  timeout 120 "$JAVA" "${jopts[@]}" -cp "$cp" kafka.tools.StorageTool format --standalone \
      -t "$id" -c "$KAFKA_HOME/server.properties" >>"$KAFKA_HOME/format.log" 2>&1 \
    || { tail -20 "$KAFKA_HOME/format.log" >&2; die "kafka storage format failed, see $KAFKA_HOME/format.log"; }
  echo "$ports" > "$KAFKA_HOME/data.ports"
}

# A Kafka ApiVersions request with the standard library only: proves a Kafka
# broker (not just any listener) answers on the port.
kafka_api_versions_ok() {
  local py; py="$(command -v python3 || true)"
  [ -n "$py" ] || return 0
  timeout 10 "$py" - "$HOST" "$KAFKA_PORT" <<'PY' 2>/dev/null
import socket, struct, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
cid = b"icjs-services"
req = struct.pack(">hhih", 18, 0, 42, len(cid)) + cid
s.sendall(struct.pack(">i", len(req)) + req)
def read(n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c: raise SystemExit(1)
        b += c
    return b
size, = struct.unpack(">i", read(4))
body = read(size)
corr, err = struct.unpack(">ih", body[:6])
sys.exit(0 if corr == 42 and err == 0 else 1)
PY
}

# Round trip through the real client the gateway uses (aiokafka): produce to
# icjs.selftest, then read it back as a consumer group member.
kafka_selftest() {
  local py="$REPO/.venv/bin/python"
  if [ ! -x "$py" ] || ! "$py" -c 'import aiokafka' 2>/dev/null; then
    note "no .venv with aiokafka: skipped the produce/consume self-test (ApiVersions answered)"
    return 0
  fi
  printf 'kafka self-test with aiokafka (produce + consume icjs.selftest) ...' >&2
  local out
  if out="$(timeout $((TIMEOUT + 10)) "$py" - "$KAFKA_BOOTSTRAP" "$TIMEOUT" 2>&1 <<'PY'
import asyncio, sys, time, uuid
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

bootstrap, limit = sys.argv[1], float(sys.argv[2])
topic = "icjs.selftest"
token = uuid.uuid4().hex.encode()

async def main():
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    deadline = time.monotonic() + limit
    while True:  # a broker that just started may not take metadata yet
        try:
            await producer.start()
            break
        except Exception:
            await producer.stop()
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
            producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    try:
        md = await producer.send_and_wait(topic, token, key=b"selftest")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id="icjs-selftest",
        auto_offset_reset="earliest", enable_auto_commit=True)
    await consumer.start()
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                if any(r.value == token for r in records):
                    print(f"ok partition={md.partition} offset={md.offset}")
                    return
            if time.monotonic() > deadline:
                raise SystemExit("message not consumed back in time")
    finally:
        await consumer.stop()

asyncio.run(asyncio.wait_for(main(), limit))
PY
  )"; then
    echo " ok (${out##*ok })" >&2
  else
    echo " FAILED" >&2
    printf '%s\n' "$out" | tail -15 >&2
    die "aiokafka could not produce/consume on $KAFKA_BOOTSTRAP, see $KAFKA_HOME/server.log"
  fi
}

kafka_up() {
  if [ -n "${ICJS_KAFKA_BOOTSTRAP_SERVERS:-}" ] && [ "$ICJS_KAFKA_BOOTSTRAP_SERVERS" != "$KAFKA_BOOTSTRAP" ]; then
    say "kafka: ICJS_KAFKA_BOOTSTRAP_SERVERS is set, using those brokers (not starting one)"
    KAFKA_LINE="$ICJS_KAFKA_BOOTSTRAP_SERVERS"
    return 0
  fi
  local version pid
  version="$(kafka_version)"
  [ -n "$version" ] || die "no <kafka.version> in $POM"
  mkdir -p "$KAFKA_HOME"

  if pid="$(kafka_pid)"; then
    local running_port
    running_port="$(sed -n 's/^advertised.listeners=PLAINTEXT:\/\/[^:]*:\([0-9]*\).*/\1/p' "$KAFKA_HOME/server.properties")"
    say "kafka already running (pid $pid) on $HOST:$running_port, reusing it"
    if [ "$running_port" != "$KAFKA_PORT" ]; then
      note "it listens on $running_port, not $KAFKA_PORT: run 'scripts/services.sh down kafka' first to change the port"
      KAFKA_PORT="$running_port"; KAFKA_BOOTSTRAP="$HOST:$KAFKA_PORT"
    fi
    kafka_api_versions_ok || die "kafka (pid $pid) does not answer on $KAFKA_BOOTSTRAP, see $KAFKA_HOME/server.log"
    KAFKA_LINE="$KAFKA_BOOTSTRAP"
    return 0
  fi
  rm -f "$KAFKA_HOME/kafka.pid"
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      { [ -z "${ICJS_KAFKA_PORT:-}" ] && [ -z "${ICJS_KAFKA_CONTROLLER_PORT:-}" ]; } \
        || die "port $HOST:$p is taken by a server this script did not start; set ICJS_KAFKA_PORT (and ICJS_KAFKA_CONTROLLER_PORT) to free ports, or ICJS_KAFKA_BOOTSTRAP_SERVERS to use that broker"
      local taken="$KAFKA_PORT"
      KAFKA_PORT="$(free_ports_from $((KAFKA_PORT + 10)) 2)" \
        || die "ports from $HOST:$taken on are taken; set ICJS_KAFKA_PORT to a free port"
      KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1)); KAFKA_BOOTSTRAP="$HOST:$KAFKA_PORT"
      note "port $taken or $((taken + 1)) is taken by a server this script did not start (another checkout?): using $KAFKA_PORT and $KAFKA_CONTROLLER_PORT"
      save_port kafka "$KAFKA_PORT"
      break
    fi
  done

  find_java
  kafka_fetch_jars "$version"
  kafka_write_config
  kafka_format

  local log="$KAFKA_HOME/server.log"
  [ -f "$log" ] && mv -f "$log" "$log.1"
  say "starting kafka $version on $HOST:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT, log: $log)"
  (
    cd "$KAFKA_HOME"
    exec setsid nohup "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" \
      -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$KAFKA_HOME/server.properties" \
      < /dev/null > "$log" 2>&1 9>&-
  ) &
  pid=$!
  echo "$pid" > "$KAFKA_HOME/kafka.pid"

  printf 'waiting for kafka on %s ...' "$KAFKA_BOOTSTRAP" >&2
  local deadline=$((SECONDS + TIMEOUT))
  until port_open "$KAFKA_PORT" && kafka_api_versions_ok; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo " exited" >&2; tail -20 "$log" >&2
      rm -f "$KAFKA_HOME/kafka.pid"
      die "kafka exited during start-up, see $log"
    fi
    [ "$SECONDS" -lt "$deadline" ] || { echo >&2; die "kafka not ready after ${TIMEOUT}s, see $log"; }
    sleep 0.5
  done
  echo " ready" >&2
  kafka_selftest
  KAFKA_LINE="$KAFKA_BOOTSTRAP"
}

kafka_down() {
  local pid
  if ! pid="$(kafka_pid)"; then
    rm -f "$KAFKA_HOME/kafka.pid"
    say "kafka (ours) is not running"; return 0
  fi
  say "stopping kafka (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      note "kafka did not stop in 60s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.3
  done
  rm -f "$KAFKA_HOME/kafka.pid"
}

kafka_status() {
  local pid
  if pid="$(kafka_pid)"; then
    local port
    port="$(sed -n 's/^advertised.listeners=PLAINTEXT:\/\/[^:]*:\([0-9]*\).*/\1/p' "$KAFKA_HOME/server.properties")"
    echo "kafka: running, pid $pid, $HOST:$port, version $(cut -d' ' -f1 "$KAFKA_HOME/lib/.complete" 2>/dev/null || echo '?'), data $KAFKA_HOME/data, log $KAFKA_HOME/server.log (started by this script)"
  else
    echo "kafka: not running (ours; data $KAFKA_HOME/data)"
  fi
  if [ -n "${ICJS_KAFKA_BOOTSTRAP_SERVERS:-}" ] && [ "$ICJS_KAFKA_BOOTSTRAP_SERVERS" != "$KAFKA_BOOTSTRAP" ]; then
    echo "kafka: ICJS_KAFKA_BOOTSTRAP_SERVERS is set to other brokers: ${ICJS_KAFKA_BOOTSTRAP_SERVERS}"
  fi
}

# ------------------------------------------------------------------ Chromium

# The web console's tests drive a real browser: Debian's chromium with its matching driver
# (/usr/bin/chromedriver), so that Selenium never downloads one.
chromium_up() {
  if command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ]; then
    say "chromium already installed ($(chromium --version 2>/dev/null || echo '?'))"
    return 0
  fi
  say "installing chromium and chromium-driver from Debian packages"
  # Without the recommends (avahi, cups, systemd units...): a headless browser needs none of them.
  apt_install --no-install-recommends chromium chromium-driver
  [ -x /usr/bin/chromedriver ] || die "chromium-driver installed but /usr/bin/chromedriver is missing"
}

chromium_status() {
  if command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ]; then
    echo "chromium: installed, $(chromium --version 2>/dev/null || echo '?'), driver /usr/bin/chromedriver"
  else
    echo "chromium: not installed (scripts/services.sh up chromium installs it)"
  fi
}

# ---------------------------------------------------------------------- main

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd="${1:-}"; [ $# -gt 0 ] && shift
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(postgres kafka chromium)
for s in "${services[@]}"; do
  case "$s" in postgres|kafka|chromium) ;; *) usage ;; esac
done
wants() { local s; for s in "${services[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

mkdir -p "$VAR"
# One invocation at a time (two `up`s racing would start two brokers).
exec 9> "$VAR/.services.lock"
# The servers started below must not inherit fd 9 (they would hold the lock).
if ! flock -n 9; then
  say "waiting for another scripts/services.sh to finish (lock $VAR/.services.lock)"
  flock -w 600 9 || die "another scripts/services.sh is still running after 600s (lock $VAR/.services.lock)"
fi

case "$cmd" in
  up)
    DB_LINE=""; KAFKA_LINE=""
    wants postgres && pg_up
    wants kafka && kafka_up
    wants chromium && chromium_up
    # A service not asked for this time keeps its lines from the last `up`.
    keep() { [ -f "$ENV_FILE" ] && grep -E "$1" "$ENV_FILE" || true; }
    {
      echo "# written by scripts/services.sh up; use: source var/services.env"
      if wants postgres; then
        [ -n "$DB_LINE" ] && echo "export ICJS_DATABASE_URL=$DB_LINE"
        [ -n "$DB_LINE" ] && [ "$DB_LINE" = "$PG_URL" ] && echo "# test database: $PG_TEST_URL"
      else
        keep '^(export ICJS_DATABASE_URL=|# test database:)'
      fi
      if wants kafka; then
        [ -n "$KAFKA_LINE" ] && echo "export ICJS_KAFKA_BOOTSTRAP_SERVERS=$KAFKA_LINE"
      else
        keep '^export ICJS_KAFKA_BOOTSTRAP_SERVERS='
      fi
      true
    } > "$ENV_FILE.tmp"
    mv -f "$ENV_FILE.tmp" "$ENV_FILE"
    say "env (also in var/services.env, for: source var/services.env):"
    [ -n "$DB_LINE" ] && echo "ICJS_DATABASE_URL=$DB_LINE"
    [ -n "$KAFKA_LINE" ] && echo "ICJS_KAFKA_BOOTSTRAP_SERVERS=$KAFKA_LINE"
    ;;
  down)
    wants kafka && kafka_down
    wants postgres && pg_down
    ;;
  status)
    wants postgres && pg_status
    wants kafka && kafka_status
    wants chromium && chromium_status
    ;;
  *) usage ;;
esac
exit 0
