// Reads the TRX files of a test run (and the JUnit files of the browser tests, playwright.xml, and of the Open311
// client tests, open311-client.xml) and prints the counts per provider and a closing line "tests: N passed, N failed, N skipped". Test classes that run
// against a database end in OnSqlite or OnPostgres; everything else is a unit test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'artifacts/test-results';
const files = readdirSync(dir).filter((f) => f.endsWith('.trx'));
if (files.length === 0) {
  console.error(`No test results in ${dir}: the test run did not get as far as running tests.`);
  process.exit(1);
}

const groups = new Map();
const failures = [];
for (const file of files) {
  const xml = readFileSync(join(dir, file), 'utf8');
  for (const match of xml.matchAll(/<UnitTestResult\b[^>]*?(\/>|>[\s\S]*?<\/UnitTestResult>)/g)) {
    const tag = match[0].slice(0, match[0].indexOf('>') + 1);
    const name = decode(/testName="([^"]*)"/.exec(tag)?.[1] ?? '');
    const outcome = /outcome="([^"]*)"/.exec(tag)?.[1] ?? 'Unknown';
    const group = /OnPostgres\./.test(name) ? 'PostgreSQL' : /OnSqlite\./.test(name) ? 'SQLite' : 'unit (no database)';
    const counts = groups.get(group) ?? { passed: 0, failed: 0, skipped: 0 };
    if (outcome === 'Passed') counts.passed++;
    else if (outcome === 'NotExecuted') counts.skipped++;
    else {
      counts.failed++;
      failures.push({ name, why: /<Message>([\s\S]*?)<\/Message>/.exec(match[0])?.[1] });
    }
    groups.set(group, counts);
  }
}

// JUnit files: one <testcase> each, with a <failure>/<error> or <skipped> child when not passed. The browser tests
// (playwright.xml) and Code for America's Open311 client against the same server (open311-client.xml, node:test).
const browserGroup = 'browser (Playwright)';
const open311Group = 'Open311 client';
for (const [file, group, label] of [['playwright.xml', browserGroup, 'browser'], ['open311-client.xml', open311Group, 'Open311 client']]) {
  const junit = join(dir, file);
  if (!existsSync(junit)) continue;
  const xml = readFileSync(junit, 'utf8');
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[3] ?? '';
    const name = decode(/name="([^"]*)"/.exec(match[1])?.[1] ?? '');
    if (/<(failure|error)\b/.test(body)) {
      counts.failed++;
      failures.push({ name: `${label}: ${name}`, why: /<(?:failure|error)\b[^>]*?message="([^"]*)"/.exec(body)?.[1] });
    } else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  groups.set(group, counts);
}

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\nTests per provider (and in the browser, and the Open311 client):');
for (const [group, c] of [...groups].sort()) {
  console.log(`  ${group.padEnd(20)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
// The first lines of each failure's message, so that a log that keeps only its tail (CI) still says why.
for (const { name, why } of failures.slice(0, 50)) {
  console.log(`  FAILED ${name}`);
  for (const line of decode(why ?? '').split('\n').filter((l) => l.trim()).slice(0, 6)) console.log(`      ${line.trim().slice(0, 300)}`);
}
let missingProvider = false;
for (const required of ['SQLite', 'PostgreSQL']) {
  if (!groups.get(required)?.passed) {
    console.log(`  No test passed on ${required}: the suite must run on both providers.`);
    missingProvider = true;
  }
}
if (existsSync(new URL('../web/e2e', import.meta.url)) && !groups.get(browserGroup)?.passed) {
  console.log('  No browser test passed: the web pages must be tested in Chromium.');
  missingProvider = true;
}
if (existsSync(new URL('../tests/open311-client/package.json', import.meta.url)) && !groups.get(open311Group)?.passed) {
  console.log('  No Open311 client test passed: a client written by others must list, file and read back.');
  missingProvider = true;
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || missingProvider ? 1 : 0);

function decode(s) {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
