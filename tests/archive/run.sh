#!/usr/bin/env bash
# The shared archive end to end (issue 18): a real PostgreSQL 15 in a
# temporary folder (initdb + pg_ctl as an unprivileged user: PostgreSQL
# refuses root), a generated corpus, the archive built twice (`gazette
# archive build` and the PySpark job in local mode), the tables compared,
# and LSP sessions against the archive compared with the embedded index.
# Needs a built target/debug/gazette, python3 with venv and Java 17.
# PySpark and psycopg are kept in GAZETTE_ARCHIVE_VENV (default
# target/archive-venv). GAZETTE_ARCHIVE_ARTICLES sets the corpus size.
set -euo pipefail
cd "$(dirname "$0")/../.."
pgbin="${GAZETTE_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$pgbin/initdb" ] || [ ! -x "$pgbin/pg_ctl" ]; then
  echo "SKIP archive: no PostgreSQL 15 binaries in $pgbin (apt-get install postgresql-15)"
  exit 0
fi
venv="${GAZETTE_ARCHIVE_VENV:-target/archive-venv}"
if ! "$venv/bin/python" -c 'import pyspark, psycopg' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    'pyspark==3.5.*' 'psycopg[binary]==3.2.*'
fi
gazette="$PWD/target/debug/gazette"
articles="${GAZETTE_ARCHIVE_ARTICLES:-10000}"

work="$(mktemp -d "${TMPDIR:-/tmp}/gazette-archive.XXXXXX")"
work="$(cd "$work" && pwd -P)"
chmod 755 "$work"
if [ "$(id -u)" = 0 ]; then
  pguser=gazette-pg
  id -u "$pguser" >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin "$pguser"
  as_pg() { runuser -u "$pguser" -- "$@"; }
else
  pguser="$(id -un)"
  as_pg() { "$@"; }
fi
mkdir -p "$work/pg" "$work/sock"
chown "$pguser" "$work/pg" "$work/sock"
pg_stop() { as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true; }
trap 'pg_stop; rm -rf "$work"' EXIT

# Passwords as libpq reads them: from a password file, never a URL.
owner_pw="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
reader_pw="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$owner_pw" >"$work/pg/pw"
chown "$pguser" "$work/pg/pw"
as_pg "$pgbin/initdb" -D "$work/pg/data" -U gazette --pwfile="$work/pg/pw" \
  --auth=scram-sha-256 -E UTF8 --locale=C >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
pg_start() {
  as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-k $work/sock -p $port -c listen_addresses='' -c fsync=off" start >/dev/null
}
pg_start
export PGPASSFILE="$work/pgpass"
{
  echo "$work/sock:$port:*:gazette:$owner_pw"
  echo "$work/sock:$port:*:reader:$reader_pw"
} >"$PGPASSFILE"
chmod 600 "$PGPASSFILE"
unset PGPASSWORD
url() { echo "postgresql://$1@/$2?host=$work/sock&port=$port"; }
psql_() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 "$(url gazette postgres)" "$@"; }
psql_ -c "CREATE DATABASE archive_cli" -c "CREATE DATABASE archive_spark" \
  -c "CREATE ROLE reader LOGIN PASSWORD '$reader_pw'"
for db in archive_cli archive_spark; do
  "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 "$(url gazette $db)" \
    -c "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader"
done

echo "-- generating $articles articles"
"$gazette" bench-corpus --articles "$articles" --seed 18 "$work/corpus"

echo "-- gazette archive build"
t0=$(date +%s.%N)
"$gazette" archive build "$work/corpus" --database "$(url gazette archive_cli)"
t1=$(date +%s.%N)

echo "-- spark/build_archive.py (local mode)"
export PYSPARK_PYTHON="$PWD/$venv/bin/python"
cores="${GAZETTE_ARCHIVE_SPARK_CORES:-2}"
"$venv/bin/spark-submit" --master "local[$cores]" --driver-memory 2g \
  --conf spark.ui.enabled=false --conf spark.sql.shuffle.partitions=8 \
  spark/build_archive.py "$work/corpus" --database "$(url gazette archive_spark)" \
  --gazette "$gazette" 2> >(grep -v -E '^(WARN|INFO|Setting default log level|To adjust logging level|\s*$)' >&2)
t2=$(date +%s.%N)
python3 -c "import sys; a,b,c=map(float,sys.argv[1:]); print(f'-- times: gazette archive build {b-a:.1f} s, spark local[$cores] {c-b:.1f} s')" "$t0" "$t1" "$t2"

# For the reconnection check: stop and start the database.
cat >"$work/pgctl.sh" <<PGCTL
#!/usr/bin/env bash
set -e
$(declare -f as_pg pg_start)
pguser="$pguser" pgbin="$pgbin" work="$work" port="$port"
case "\$1" in
  stop) as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null ;;
  start) pg_start ;;
esac
PGCTL
chmod +x "$work/pgctl.sh"

echo "-- tables, and LSP sessions against the archive"
"$venv/bin/python" tests/archive/check.py --gazette "$gazette" --corpus "$work/corpus" \
  --cli "$(url gazette archive_cli)" --spark "$(url gazette archive_spark)" \
  --reader "$(url reader archive_cli)" --work "$work" \
  --pg-ctl "$work/pgctl.sh"
