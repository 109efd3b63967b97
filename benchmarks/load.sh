#!/usr/bin/env bash
# The HTTP load benchmark, on loopback only: (a) a plain WebFlux controller, (b) the same
# handler as a secure-agent endpoint with signed requests and answers (ES256, and EdDSA
# on a second agent), (c) the same, encrypted; and the SecureAgentClient path (concurrency 16), which also signs and
# verifies on the client. The set-ups run interleaved, round after round, each with
# messages made just before its turn. Every loop is bounded; the server is stopped by its
# PID at the end.
#
#   benchmarks/load.sh [rounds] [seconds] [concurrency] [rate] [payload-bytes] [warm-up-seconds]
#
# Prints each round, then a table: median and min-max over the rounds, ratios against (a).
# SERVER_JAVA_OPTS and CLIENT_JAVA_OPTS pass options to the two JVMs (a JFR recording of
# the server, say); CLIENT_JAVA_OPTS=-Dmodes=plain,signed runs only those set-ups.
# NUMBER_PROBE=N sends forged envelopes full of numbers instead, N of each kind per pass.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-3}"
seconds="${2:-10}"
concurrency="${3:-32}"
rate="${4:-200}"
payload="${5:-1024}"
warmup="${6:-30}"
plain_port="${PLAIN_PORT:-18080}"
agent_port="${AGENT_PORT:-18081}"
eddsa_port="${EDDSA_PORT:-18082}"

build_log="$(mktemp)"
./mvnw -q -pl benchmarks/http -am install -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
	>"$build_log" 2>&1 || { cat "$build_log" >&2; rm -f "$build_log"; exit 1; }
rm -f "$build_log"
classpath_file="$(mktemp)"
./mvnw -q -pl benchmarks/http dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
classpath="benchmarks/http/target/classes:$(cat "$classpath_file")"
rm -f "$classpath_file"

ca="$(mktemp -d)"
server_log="$(mktemp)"
java ${SERVER_JAVA_OPTS:-} -cp "$classpath" io.secureagent.benchmarks.http.LoadServer "$ca" "$plain_port" "$agent_port" "$eddsa_port" \
	>"$server_log" 2>&1 &
server=$!
cleanup() {
	kill "$server" 2>/dev/null || true
	wait "$server" 2>/dev/null || true
	rm -rf "$ca" "$server_log"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
	grep -q '^ready ' "$server_log" && break
	kill -0 "$server" 2>/dev/null || { cat "$server_log" >&2; exit 1; }
	sleep 0.5
done
grep -q '^ready ' "$server_log" || { echo "the server did not start" >&2; cat "$server_log" >&2; exit 1; }

if [ -n "${NUMBER_PROBE:-}" ]; then
	# NUMBER_PROBE=10 benchmarks/load.sh: forged envelopes full of numbers instead of the
	# load, that many of each kind per pass (NumberProbe)
	java ${CLIENT_JAVA_OPTS:-} -cp "$classpath" io.secureagent.benchmarks.http.NumberProbe "$ca" "$agent_port" "$server" \
		"$NUMBER_PROBE"
	exit 0
fi

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "server $(grep '^ready ' "$server_log")"
echo "rounds $rounds, $seconds s each, concurrency $concurrency, fixed rate $rate req/s, payload $payload bytes"
java ${CLIENT_JAVA_OPTS:-} -cp "$classpath" io.secureagent.benchmarks.http.LoadGenerator "$server" "$plain_port" "$agent_port" "$eddsa_port" \
	"$ca" "$rounds" "$seconds" "$concurrency" "$rate" "$payload" "$warmup"
