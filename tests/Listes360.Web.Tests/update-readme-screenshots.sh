#!/usr/bin/env bash
# Regenerates the two screenshots the README shows (docs/images/web-*.png) from a run of the browser tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
dotnet test tests/Listes360.Web.Tests --nologo
cp tests/Listes360.Web.Tests/screenshots/esms-classement-1280.png docs/images/web-classement-1280.png
cp tests/Listes360.Web.Tests/screenshots/esms-places-390.png docs/images/web-places-390.png
echo "docs/images/web-classement-1280.png et docs/images/web-places-390.png régénérées."
