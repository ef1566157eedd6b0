#!/usr/bin/env bash
# Installs what building and testing iop needs on Debian or Ubuntu: GLPK's, SQLite's and
# zlib's headers and libraries (libglpk-dev, libsqlite3-dev, zlib1g-dev: the server's HTTP
# compression links zlib). Swift itself must already be on PATH.
set -euo pipefail
if [ -e /usr/include/glpk.h ] && [ -e /usr/include/sqlite3.h ] && [ -e /usr/include/zlib.h ]; then
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq libglpk-dev libsqlite3-dev zlib1g-dev >/dev/null
