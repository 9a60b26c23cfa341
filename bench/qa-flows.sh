#!/usr/bin/env bash
# The QA kit's JCEF flows (e2e/.../jcef): 1. the whole JCEF suite once, as CI runs it (one surefire
# run of every jcef test class; its wall time, Maven's start included, and each class's time);
# 2. each flow class RUNS times in a row (default 5) in one JVM (bench/QaFlows.java, the JUnit
# launcher): each run's time and result, then per flow the runs, passes (flakes = failed runs),
# mean / min / max seconds. A failed run's evidence is kept in e2e/target/qa-flows-bench/evidence/run-N/.
#   bench/qa-flows.sh [RUNS] [FLOW_CLASS...]      (default: every e2e/.../jcef/*Test.java)
# Needs what ./latchkey test installs (Xvfb, openbox, wmctrl, chromium-driver, ffmpeg, npm-tools).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
shift || true
JCEF="$ROOT/e2e/src/test/java/dev/latchkey/e2e/jcef"
if [ $# -gt 0 ]; then
  FLOWS=("$@")
else
  mapfile -t FLOWS < <(find "$JCEF" -maxdepth 1 -name '*Test.java' -printf '%f\n' | sed 's/\.java$//' | sort)
fi
OUT="$ROOT/e2e/target/qa-flows-bench"
cd "$ROOT"
rm -rf "$OUT" && mkdir -p "$OUT"
# The app the flows start (desktop/target) and the e2e test classpath, built once.
mvn -o -q -B -pl e2e -am package -DskipTests >&2
mvn -o -q -B -pl e2e -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/qa-flows.classpath >&2

echo "qa-flows: the whole JCEF suite once (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
start=$(date +%s)
mvn -o -q -B -pl e2e -am test -Dtest='dev/latchkey/e2e/jcef/*Test' -Dsurefire.failIfNoSpecifiedTests=false \
  >"$OUT/suite.log" 2>&1 && suite=passed || suite=FAILED
end=$(date +%s)
mkdir -p "$OUT/suite" && cp e2e/target/surefire-reports/TEST-dev.latchkey.e2e.jcef.*.xml "$OUT/suite/" 2>/dev/null || true

echo "qa-flows: ${FLOWS[*]}, $RUNS runs each in a row" >&2
CP="$ROOT/e2e/target/test-classes:$ROOT/e2e/target/classes:$(cat "$ROOT/e2e/target/qa-flows.classpath")"
classes=()
for flow in "${FLOWS[@]}"; do classes+=("dev.latchkey.e2e.jcef.$flow"); done
(cd e2e && java -cp "$CP" -Dlatchkey.qa.app="$ROOT/desktop/target" -Dlatchkey.qa.display=own \
  -Dlatchkey.qa.evidenceDir="$OUT/evidence" -Dlatchkey.qa.chromedriverLog=INFO -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  "$ROOT/bench/QaFlows.java" "$RUNS" "${classes[@]}" 2>"$OUT/runs.err" | tee "$OUT/runs.tsv" >&2)

python3 - "$OUT" "$suite" "$((end - start))" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
out, suite, wall = sys.argv[1], sys.argv[2], int(sys.argv[3])
classes = {}
for report in glob.glob(f"{out}/suite/TEST-*.xml"):
    root = ET.parse(report).getroot()
    classes[root.get("name").rsplit(".", 1)[1]] = float(root.get("time"))
print(f"Whole JCEF suite ({len(classes)} classes, one surefire run): {suite}, {wall // 60} min {wall % 60} s wall "
      f"(Maven's start included); the classes' own times add up to {sum(classes.values()):.0f} s")
for name, time in sorted(classes.items()):
    print(f"  {name}: {time:.1f} s")
flows = {}
for line in open(f"{out}/runs.tsv"):
    cls, method, run, seconds, result, why = (line.rstrip("\n").split("\t") + [""])[:6]
    flows.setdefault(f"{cls}.{method}", []).append((float(seconds), result == "PASSED", why))
print()
print("| flow | runs | passed | mean s | min s | max s |")
print("|---|---|---|---|---|---|")
for name, results in sorted(flows.items()):
    times = [t for t, _, _ in results]
    passed = sum(1 for _, ok, _ in results if ok)
    print(f"| `{name}` | {len(results)} | {passed} | {sum(times)/len(times):.1f} | {min(times):.1f} | {max(times):.1f} |")
for name, results in sorted(flows.items()):
    for i, (_, ok, why) in enumerate(results, 1):
        if not ok:
            print(f"flake: {name} run {i}: {why}")
PY
