#!/usr/bin/env bash
# The browser tests (web/e2e, Playwright in Debian's Chromium): builds the server in Release (which builds the web
# pages when they changed), starts it in Development on a free port with a fresh data directory and the demo subdistrict, waits
# until it is ready, runs the tests, stops it; then Code for America's Open311 client (tests/open311-client) against the
# same server. JUnit lands in the results folder given as $1 (playwright.xml, open311-client.xml); screenshots of every
# page the tests visit in artifacts/screenshots/. A second, empty Production server (no demo, two-step verification
# required, three administrators made with `users create-admin`) serves setup.spec.ts: a new subdistrict set up from nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
results="${1:-artifacts/test-results}"
mkdir -p "$results"

if [ ! -d web/e2e ]; then
  exit 0
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
dotnet build src/CivicGrid.Server -c Release -nologo -v q -clp:ErrorsOnly || { echo "browser tests: the Release build failed" >&2; exit 1; }
dotnet build tests/CivicGrid.FakeWeChat -c Release -nologo -v q -clp:ErrorsOnly || { echo "browser tests: the fake WeChat server did not build" >&2; exit 1; }

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
data=$(mktemp -d -t civicgrid-e2e-XXXXXX)
log="$results/e2e-server.log"
rm -rf artifacts/screenshots artifacts/a11y
mkdir -p artifacts/screenshots

# The fake WeChat official account (tests/CivicGrid.FakeWeChat, CivicGrid.Testing's FakeWeChatServer) on a free port: the
# demo server signs residents in through it inside WeChat, loads its JS-SDK shim and sends it the template messages
# (wechat.spec.ts reads them back at /fake/messages). Production uses WeChat's own hosts and the official jweixin script.
wechat_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
wechat_url="http://127.0.0.1:$wechat_port"
wechat_app=wx0e2e0000000000e2
(exec dotnet tests/CivicGrid.FakeWeChat/bin/Release/net10.0/CivicGrid.FakeWeChat.dll "$wechat_port" "$wechat_app" e2e-wechat-secret-0123456789abcdef \
  web/e2e/fixtures/street-light.jpg) >"$results/e2e-fake-wechat.log" 2>&1 &
wechat=$!

# From its output folder, as a deployed server runs (appsettings.json is read from the content root there); it finds
# web/dist by walking up to the repository. In Development: the demo's accounts share a known password, so the server
# loads the demo in no other environment (the fresh server below is the Production one).
# The demo staff sign in with passwords (Auth:SecondFactor optional; signin.spec.ts enrols an administrator of its own).
# The district's webhook points at a closed port (9, discard), so red cases' hand-offs fail and are retried: the
# console's delivery log has failed attempts to show (console-ops.spec.ts). The outbox polls every 2 s to keep that quick.
# SMS go to a local fake Alibaba Cloud SMS (web/e2e/fake-sms.mjs) that checks their signatures and records them at
# $CIVICGRID_FAKE_SMS_URL/_fake/sent (sms.spec.ts reads the codes and follow links there); the secret comes from the
# environment, as in production.
sms_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
node web/e2e/fake-sms.mjs "$sms_port" e2e-sms-key e2e-sms-secret >"$results/fake-sms.log" 2>&1 &
fake_sms=$!
export CIVICGRID_FAKE_SMS_URL="http://127.0.0.1:$sms_port"
(cd src/CivicGrid.Server/bin/Release/net10.0 && ASPNETCORE_ENVIRONMENT=Development CIVICGRID_DATA_DIR="$data" Demo__Enabled=true \
  Auth__LoginAttemptsPerMinute=1000 Auth__SecondFactor=optional District__WebhookUrl=http://127.0.0.1:9/district-hand-off \
  District__Secret=e2e-district-secret-0123456789abcdef0123 Outbox__PollInterval=00:00:02 \
  Sms__Provider=aliyun Sms__SignName=阳光街道 Sms__Aliyun__Endpoint="$CIVICGRID_FAKE_SMS_URL/" Sms__Aliyun__AccessKeyId=e2e-sms-key \
  Sms__Aliyun__AccessKeySecret=e2e-sms-secret Sms__CodeRequestsPerMinute=1000 Sms__PerAddressPerDay=1000 \
  WeChat__AppId="$wechat_app" WeChat__AppSecret=e2e-wechat-secret-0123456789abcdef WeChat__OAuthBaseUrl="$wechat_url" \
  WeChat__ApiBaseUrl="$wechat_url" WeChat__JsSdkScriptUrl="$wechat_url/fake/jweixin.js" WeChat__Templates__received=tpl-received \
  WeChat__Templates__accepted=tpl-accepted WeChat__Templates__handled=tpl-handled WeChat__Templates__verify=tpl-verify \
  WeChat__Templates__closed=tpl-closed WeChat__PublicBaseUrl="http://127.0.0.1:$port" \
  exec env Sms__Templates__verification-code__TemplateId=SMS_100001 Sms__Templates__verification-code__Parameters__0=code \
  Sms__Templates__case-progress__TemplateId=SMS_100002 Sms__Templates__case-progress__Parameters__0=number Sms__Templates__case-progress__Parameters__1=text \
  Sms__Templates__case-follow-link__TemplateId=SMS_100003 Sms__Templates__case-follow-link__Parameters__0=number Sms__Templates__case-follow-link__Parameters__1=link \
  dotnet CivicGrid.Server.dll --urls "http://127.0.0.1:$port") >"$log" 2>&1 &
server=$!

# A second server as a new subdistrict starts it in Production (setup.spec.ts): an empty database, no demo, two-step
# verification required; before it starts, the operator makes the three administrators with `users create-admin`.
fresh_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
fresh_data=$(mktemp -d -t civicgrid-e2e-fresh-XXXXXX)
fresh_log="$results/e2e-fresh-server.log"
export CIVICGRID_FRESH_PASSWORD="Setup-$(node -e "console.log(require('crypto').randomBytes(9).toString('base64url'))")#7a"
fresh_server=
stop() {
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$fake_sms" ] && kill "$fake_sms" 2>/dev/null
  kill "$wechat" 2>/dev/null && wait "$wechat" 2>/dev/null
  [ -n "$fresh_server" ] && kill "$fresh_server" 2>/dev/null && wait "$fresh_server" 2>/dev/null
  rm -rf "$data" "$fresh_data"
}
trap stop EXIT
for admin in "sec-admin security-admin 孙立" "sys-admin system-admin 周明" "audit-admin audit-admin 吴静"; do
  set -- $admin
  (cd src/CivicGrid.Server/bin/Release/net10.0 && ASPNETCORE_ENVIRONMENT=Production CIVICGRID_DATA_DIR="$fresh_data" \
    dotnet CivicGrid.Server.dll users create-admin "$1" --role "$2" --display-name "$3" --password "$CIVICGRID_FRESH_PASSWORD") >>"$fresh_log" 2>&1 \
    || { echo "browser tests: users create-admin $1 failed; its log:" >&2; tail -20 "$fresh_log" >&2; exit 1; }
done
(cd src/CivicGrid.Server/bin/Release/net10.0 && ASPNETCORE_ENVIRONMENT=Production CIVICGRID_DATA_DIR="$fresh_data" \
  Auth__LoginAttemptsPerMinute=1000 exec dotnet CivicGrid.Server.dll --urls "http://127.0.0.1:$fresh_port") >>"$fresh_log" 2>&1 &
fresh_server=$!

url="http://127.0.0.1:$port"
fresh_url="http://127.0.0.1:$fresh_port"
for ready in "$url $log" "$fresh_url $fresh_log"; do
  set -- $ready
  echo "browser tests: waiting for $1/health/ready"
  if ! node -e "
    const deadline = Date.now() + 300_000;
    (async () => {
      while (Date.now() < deadline) {
        try { if ((await fetch('$1/health/ready')).ok) process.exit(0); } catch {}
        await new Promise((r) => setTimeout(r, 1000));
      }
      process.exit(1);
    })();"; then
    echo "browser tests: the server at $1 did not become ready; its log:" >&2
    tail -50 "$2" >&2
    exit 1
  fi
done

(cd web && CIVICGRID_URL="$url" CIVICGRID_FRESH_URL="$fresh_url" CIVICGRID_FAKE_WECHAT_URL="$wechat_url" CIVICGRID_TEST_RESULTS="$(cd .. && realpath "$results")" npx playwright test -c e2e ${CIVICGRID_E2E_SPECS:-})
browser=$?

# CIVICGRID_E2E_SPECS (e.g. "console-accounts report") runs only the specs whose path matches, for a quick re-run by hand.

# Code for America's Open311 client (npm open311, unmodified; tests/open311-client) against the same server: list
# services, file a request, read it back. Its own dependencies, installed like web/'s: npm ci when node_modules is
# missing or the lock changed. JUnit in open311-client.xml.
open311=0
client=tests/open311-client
if [ -f "$client/package.json" ]; then
  if [ ! -f "$client/node_modules/.install-stamp" ] || [ "$client/package-lock.json" -nt "$client/node_modules/.install-stamp" ]; then
    (cd "$client" && npm ci --no-audit --no-fund && touch node_modules/.install-stamp) || { echo "Open311 client tests: npm ci failed" >&2; exit 1; }
  fi
  junit="$(realpath "$results")/open311-client.xml"
  (cd "$client" && CIVICGRID_URL="$url" node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$junit")
  open311=$?
fi

[ "$browser" -eq 0 ] && [ "$open311" -eq 0 ]
