#!/usr/bin/env bash
# Run the test suite twice: on SQLite, then on PostgreSQL.
#
# Usage, with the package installed (pip install -e ".[test]"):
#   bash scripts/test.sh [extra pytest arguments]
#
# The PostgreSQL pass uses postgres://postgres@127.0.0.1:5432/test, and
# pytest-django creates and drops the database test_test there. If the
# connection fails, the script starts the local cluster with pg_ctlcluster
# (Debian's postgresql-common) and waits up to 30 s for it. Both passes always run, and the
# script exits non-zero if either fails, including pytest's exit code 5 when
# no test was collected.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"
PYTHON="${PYTHON:-python}"

postgres_is_ready() {
    "$PYTHON" - "$POSTGRES_URL" <<'EOF' >/dev/null 2>&1
import sys

import psycopg

psycopg.connect(sys.argv[1], connect_timeout=3).close()
EOF
}

ensure_postgres() {
    if postgres_is_ready; then
        return 0
    fi
    if ! command -v pg_ctlcluster >/dev/null || [ ! -d /etc/postgresql ]; then
        echo "error: cannot connect to PostgreSQL at $POSTGRES_URL, and there is no" >&2
        echo "local cluster to start (pg_ctlcluster or /etc/postgresql is missing)." >&2
        echo "Start a PostgreSQL server on 127.0.0.1:5432, then run this again." >&2
        return 1
    fi
    echo "Cannot connect to PostgreSQL at $POSTGRES_URL. Starting the local cluster ..."
    # shellcheck disable=SC2046  # one cluster version folder, as Debian installs it
    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start || true
    local _
    for _ in $(seq 30); do
        if postgres_is_ready; then
            return 0
        fi
        sleep 1
    done
    echo "error: cannot connect to PostgreSQL at $POSTGRES_URL: timed out after 30 s" >&2
    echo "of waiting for the started cluster. Check its log in /var/log/postgresql/." >&2
    return 1
}

# Runs pytest with a label and the database URL ("" for the SQLite default),
# and prints the outcome. Returns pytest's exit code.
run_pytest() {
    local label="$1" database_url="$2"
    shift 2
    echo
    echo "=== pytest on $label ==="
    local status
    if [ -n "$database_url" ]; then
        DATABASE_URL="$database_url" "$PYTHON" -m pytest "$@"
    else
        (unset DATABASE_URL && "$PYTHON" -m pytest "$@")
    fi
    status=$?
    case "$status" in
        0) echo "=== $label: passed ===" ;;
        5) echo "=== $label: FAILED, no tests were collected (pytest exit code 5) ===" ;;
        *) echo "=== $label: FAILED (pytest exit code $status) ===" ;;
    esac
    return "$status"
}

sqlite_status=0
run_pytest "SQLite" "" "$@" || sqlite_status=$?

postgres_status=0
if ensure_postgres; then
    run_pytest "PostgreSQL" "$POSTGRES_URL" "$@" || postgres_status=$?
else
    postgres_status=1
    echo "=== PostgreSQL: FAILED, the server is not reachable ==="
fi

echo
echo "Summary: SQLite exit code $sqlite_status, PostgreSQL exit code $postgres_status."
if [ "$sqlite_status" -ne 0 ] || [ "$postgres_status" -ne 0 ]; then
    exit 1
fi
