#!/usr/bin/env bash
# Regenerates the four screenshots the README shows (docs/images/web-*.png), running only the tests that take them:
# - the observatory's indicators and the referent's review queue: ReadmeScreenshotTests, on its own host seeded with the
#   SIMULATED population of « listes360 seed » (DemoPopulation, the Orne's 72 real ESMS) and four past daily snapshots;
#   each image carries a notice saying the data are simulated;
# - the director's ranking and places: the director's journeys (DirectorJourneyTests), on the suite's test persons (simulated).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
dotnet test tests/Listes360.Web.Tests --nologo \
  --filter "FullyQualifiedName~Listes360.Web.Tests.ReadmeScreenshotTests|FullyQualifiedName~Listes360.Web.Tests.DirectorJourneyTests"
shots=tests/Listes360.Web.Tests/screenshots
cp "$shots/esms-classement-1280.png" docs/images/web-classement-1280.png
cp "$shots/esms-places-390.png" docs/images/web-places-390.png
cp "$shots/readme-observatoire-indicateurs-1280.png" docs/images/web-observatoire-1280.png
cp "$shots/readme-referent-file-1280.png" docs/images/web-referent-1280.png
echo "docs/images/web-classement-1280.png, web-places-390.png, web-observatoire-1280.png et web-referent-1280.png régénérées."
