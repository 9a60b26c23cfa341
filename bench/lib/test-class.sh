# Sourced by the bench scripts: runs a benchmark class kept among a module's tests, on that
# module's test class path, with the load average before and after (a busy machine skews figures).
# Usage: run_test_class MODULE CLASS [ARGS...]   (from the repository root)
run_test_class() {
  local module="$1" class="$2"
  shift 2
  local cp_file="$PWD/$module/target/bench.classpath"
  mvn -q -B -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$PWD/$module/target/test-classes:$PWD/$module/target/classes:$(cat "$cp_file")" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$class" "$@"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
