#!/usr/bin/env bash
# Builds the kyso-agent app image with jpackage (Linux; the same options build the Windows and
# macOS images on those systems, see agent/README.md) and smoke-tests it: --help, then the agent
# answers discovery for an allowed origin and refuses another. Usage: bash agent/jpackage.sh
# after `mvn -B -pl agent -am package -DskipTests` (JpackageIT runs it in `mvn verify`).
# Output: agent/target/jpackage/kyso-agent/. KYSO_SMOKE_PORT picks the smoke test's port (default:
# a random one). Needs jpackage (Debian: openjdk-17-jdk-headless) and curl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/kyso-agent.jar"
out="$here/target/jpackage"
[ -f "$jar" ] || { echo "build $jar first: mvn -B -pl agent -am package -DskipTests" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out/input"
cp "$jar" "$out/input/"
wrapper=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED
command -v jpackage >/dev/null || { echo "jpackage not found: install the Debian package openjdk-17-jdk-headless" >&2; exit 1; }
jpackage --type app-image --name kyso-agent --input "$out/input" --main-jar kyso-agent.jar \
  --main-class vn.kyso.agent.Main --dest "$out" \
  --java-options "--add-exports=$wrapper" --java-options "--add-opens=$wrapper"
launcher="$out/kyso-agent/bin/kyso-agent"
"$launcher" --help | grep -q -- '--allow-origin'
command -v curl >/dev/null || { echo "curl not found: install the Debian package curl" >&2; exit 1; }
port=${KYSO_SMOKE_PORT:-$((20000 + RANDOM % 20000))}
"$launcher" --port "$port" --secure-port off --allow-origin https://dms.example --data "$out/data" > "$out/smoke.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do  # up to 30 s: a loaded CI machine starts the JVM slowly
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done
ok=$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: https://dms.example' "http://127.0.0.1:$port/kyso/v1/hello")
evil=$(curl -s -o /dev/null -w '%{http_code}' -H 'Origin: https://evil.example' "http://127.0.0.1:$port/kyso/v1/hello")
[ "$ok" = 200 ] && [ "$evil" = 403 ] || { echo "smoke test failed: allowed $ok, other $evil" >&2; cat "$out/smoke.log" >&2; exit 1; }
echo "kyso-agent app image OK: $out/kyso-agent (allowed origin 200, other origin 403)"
