// Bundle budget, run by `npm run build`: the JavaScript a phone downloads to open /m/report — the phone entry,
// the report page's chunk and everything they import statically, gzipped — must stay within 200 KB.
// The map (MapLibre) is a dynamic import opened on demand and is reported separately, not counted.
// Writes dist/bundle-sizes.json for the README and fails the build when over budget.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_KB = 200;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

/** The JS files loaded for these manifest entries, following static imports only. */
function closure(keys) {
  const seen = new Set();
  const files = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest has no ${key}`);
    if (chunk.file.endsWith('.js')) files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;
const sum = (files) => [...files].reduce((total, f) => total + gz(f), 0);

const reportFlow = closure(['m/index.html', 'src/phone/report/ReportPage.vue']);
const mapOnDemand = new Set([...closure(['src/phone/report/MapPicker.vue'])].filter((f) => !reportFlow.has(f)));
const consoleStart = closure(['index.html']);

const sizes = {
  phoneReportFlowGzipKB: kb(sum(reportFlow)),
  phoneMapOnDemandGzipKB: kb(sum(mapOnDemand)),
  consoleStartGzipKB: kb(sum(consoleStart)),
  budgetKB: BUDGET_KB,
  reportFlowFiles: [...reportFlow].map((f) => ({ file: f, gzipKB: kb(gz(f)) })),
};
writeFileSync(join(dist, 'bundle-sizes.json'), JSON.stringify(sizes, null, 2));
console.log(`bundle: phone report flow ${sizes.phoneReportFlowGzipKB} KB gzipped JS (budget ${BUDGET_KB} KB), ` +
  `map on demand ${sizes.phoneMapOnDemandGzipKB} KB, console start ${sizes.consoleStartGzipKB} KB`);
if (sizes.phoneReportFlowGzipKB > BUDGET_KB) {
  console.error(`Over budget: the phone report flow loads ${sizes.phoneReportFlowGzipKB} KB of gzipped JavaScript (> ${BUDGET_KB} KB):`);
  for (const f of sizes.reportFlowFiles) console.error(`  ${f.file} ${f.gzipKB} KB`);
  process.exit(1);
}
