#!/usr/bin/env bash
# The QA kit's JCEF flows, each run RUNS times in a row (default 5): how long each flow takes
# (the test's own time as surefire reports it: app start, Selenium attach, the flow, teardown)
# and how many runs failed (flakes). Builds once, then runs every flow class in one Maven test
# run per round (its compile is up to date after the first).
#   bench/qa-flows.sh [RUNS]
# Needs what ./latchkey test installs (Xvfb, openbox, wmctrl, chromium-driver, npm-tools).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
FLOWS="NoSignInFlowTest,BrowserLoginFlowTest"
OUT="$ROOT/e2e/target/qa-flows-bench"
cd "$ROOT"
mvn -o -q -B -pl e2e -am package -DskipTests >&2
rm -rf "$OUT" && mkdir -p "$OUT"
for run in $(seq 1 "$RUNS"); do
  echo "qa-flows: round $run of $RUNS" >&2
  rm -rf e2e/target/surefire-reports
  mvn -o -q -B -pl e2e -am test -Dtest="$FLOWS" -Dsurefire.failIfNoSpecifiedTests=false >"$OUT/round-$run.log" 2>&1 || true
  mkdir -p "$OUT/round-$run"
  cp e2e/target/surefire-reports/TEST-dev.latchkey.e2e.jcef.*.xml "$OUT/round-$run/" \
    || { echo "qa-flows: round $run ran no flow; see $OUT/round-$run.log" >&2; exit 1; }
done
# One line per flow: runs, passes, mean / min / max seconds.
python3 - "$OUT" "$RUNS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
out, runs = sys.argv[1], int(sys.argv[2])
flows = {}
for report in sorted(glob.glob(f"{out}/round-*/TEST-*.xml")):
    for case in ET.parse(report).getroot().iter("testcase"):
        name = case.get("classname").rsplit(".", 1)[1] + "." + case.get("name").split("(")[0]
        failed = case.find("failure") is not None or case.find("error") is not None
        flows.setdefault(name, []).append((float(case.get("time")), failed))
print(f"| flow | runs | passed | mean s | min s | max s |")
print(f"|---|---|---|---|---|---|")
for name, results in sorted(flows.items()):
    times = [t for t, _ in results]
    passed = sum(1 for _, f in results if not f)
    print(f"| `{name}` | {len(results)} | {passed} | {sum(times)/len(times):.1f} | {min(times):.1f} | {max(times):.1f} |")
PY
