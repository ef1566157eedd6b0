#!/usr/bin/env bash
# Installs what building and testing iop needs on Debian or Ubuntu: GLPK's and SQLite's
# headers and libraries (libglpk-dev, libsqlite3-dev). Swift itself must already be on PATH.
set -euo pipefail
if [ -e /usr/include/glpk.h ] && [ -e /usr/include/sqlite3.h ]; then
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq libglpk-dev libsqlite3-dev >/dev/null
