#!/usr/bin/env bash
# Installs what building and testing iop needs on Debian or Ubuntu: GLPK's headers and
# library (libglpk-dev). Swift itself must already be on PATH.
set -euo pipefail
if [ -e /usr/include/glpk.h ]; then
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq libglpk-dev >/dev/null
