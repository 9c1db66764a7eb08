#!/usr/bin/env bash
# Set up and start the sandbox: a local Wagtail site with the API and demo data.
#
# Usage, from any folder:  bash sandbox/run.sh
#
# Creates the virtualenv if missing, installs the package with its "sandbox"
# extra, migrates, runs setup_demo (which prints an API token and the URLs)
# and starts runserver on 127.0.0.1. Press Ctrl+C to stop the server.
#
# Environment variables:
#   PORT    port for runserver (default 8000)
#   PYTHON  Python 3.11+ interpreter that creates the virtualenv
#           (default: the first of python3.11, python3, python on PATH)
#   VENV    virtualenv folder (default: .venv in the repository root)
# The sandbox settings also read DATABASE_URL and MEDIA_ROOT.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export PORT="${PORT:-8000}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    echo "error: PORT must be a port number from 1 to 65535, not '$PORT'." >&2
    exit 2
fi
venv="${VENV:-.venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

is_python_311_or_newer() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

find_python() {
    local candidate
    for candidate in ${PYTHON:-python3.11 python3 python}; do
        if command -v "$candidate" >/dev/null && is_python_311_or_newer "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: no Python 3.11 or newer found (tried: ${PYTHON:-python3.11 python3 python})." >&2
    echo "Install Python 3.11+, or set PYTHON to its path." >&2
    return 1
}

if [ ! -x "$venv/bin/python" ]; then
    python="$(find_python)"
    echo "Creating the virtualenv $venv with $python ..."
    if [ -e "$venv" ]; then
        echo "error: $venv exists but has no bin/python. Remove it or set VENV." >&2
        exit 1
    fi
    if ! "$python" -m venv "$venv"; then
        # Remove the half-made virtualenv, so the next run creates it again.
        rm -rf -- "$venv"
        echo "error: '$python -m venv $venv' failed. On Debian or Ubuntu, install the" >&2
        echo "python3-venv package (apt-get install python3-venv), then run this again." >&2
        exit 1
    fi
elif ! is_python_311_or_newer "$venv/bin/python"; then
    echo "error: $venv uses a Python older than 3.11. Remove it (rm -rf $venv) and" >&2
    echo "run this script again, or set VENV to another folder." >&2
    exit 1
fi

echo "Installing wagtail-write-graphql with the sandbox extra into $venv ..."
"$venv/bin/python" -m pip install --quiet -e ".[sandbox]"

echo "Applying database migrations ..."
"$venv/bin/python" sandbox/manage.py migrate --noinput --verbosity 0

"$venv/bin/python" sandbox/manage.py setup_demo

exec "$venv/bin/python" sandbox/manage.py runserver "127.0.0.1:$PORT"
