#!/usr/bin/env bash
# The page's browser tests: installs what they need (Debian's chromium and chromium-driver,
# Selenium and pypdf from PyPI), builds the iop it serves, and drives headless Chromium through a day
# of the program (Tests/browser/test_page.py). Screenshots go to Tests/browser/screenshots/.
#
#   bash scripts/browser-tests.sh                 # builds .build/debug/iop if needed
#   IOP=.build/release/iop bash scripts/browser-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if ! command -v chromedriver >/dev/null || ! { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -c 'import selenium, pypdf' 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check selenium pypdf
iop=${IOP:-.build/debug/iop}
if [ -z "${IOP:-}" ]; then swift build --product iop; fi
python3 Tests/browser/test_page.py --iop "$iop"
