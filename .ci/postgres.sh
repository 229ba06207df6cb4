# Sourced by .ci/run: a throwaway PostgreSQL from Debian's packages on 127.0.0.1, for the tests that run
# on both stores (tests/conftest.py reads DETENTE_TEST_POSTGRES). Runs as the `postgres` user, in a
# temporary data directory, and is stopped (and the directory removed) when the calling shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
pg_user=postgres
pg_dir=$(mktemp -d /tmp/detente-pg.XXXXXX)
pg_port=${DETENTE_PG_PORT:-55432}
chown "$pg_user" "$pg_dir"
as_pg() { runuser -u "$pg_user" -- "$@"; }
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_user" -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$pg_dir/initdb.log"
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c full_page_writes=off" start >/dev/null
trap 'as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null; rm -rf "$pg_dir"' EXIT
# The tests' database sorts text in English order (ICU en-US) where the server has ICU, unlike SQLite:
# the store must give SQLite's order anyway (tests/test_same_on_both_stores.py).
pg_db=postgres
if as_pg "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -d postgres -c \
    "CREATE DATABASE detente_test TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'" 2>/dev/null; then
  pg_db=detente_test
fi
export DETENTE_TEST_POSTGRES="postgresql+psycopg://$pg_user@127.0.0.1:$pg_port/$pg_db"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the tests: $DETENTE_TEST_POSTGRES"
