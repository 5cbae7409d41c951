#!/usr/bin/env bash
# Regenerates the two screenshots the README shows (docs/images/web-*.png) from a run of the browser tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
dotnet test tests/Listes360.Web.Tests --nologo
cp tests/Listes360.Web.Tests/screenshots/esms-classement-1280.png docs/images/web-classement-1280.png
cp tests/Listes360.Web.Tests/screenshots/esms-places-390.png docs/images/web-places-390.png
cp tests/Listes360.Web.Tests/screenshots/observatoire-indicateurs-1280.png docs/images/web-observatoire-1280.png
cp tests/Listes360.Web.Tests/screenshots/referent-file-1280.png docs/images/web-referent-1280.png
echo "docs/images/web-classement-1280.png, web-places-390.png, web-observatoire-1280.png et web-referent-1280.png régénérées."
