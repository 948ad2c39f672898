// Code for America's Open311 client (npm `open311` 0.0.12, github.com/codeforamerica/node-open311), unmodified, against a
// running CivicGrid server (CIVICGRID_URL, default http://localhost:5080, with the demo subdistrict loaded). The client
// speaks JSON by default; its XML readers (sparkxml, xml2json) are stubbed in stubs/ (see README.md here), so only the
// JSON path is exercised. The API key is issued inside the test through the admin endpoint, as the demo admin.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Open311 = require('open311');

const baseURL = (process.env.CIVICGRID_URL ?? 'http://localhost:5080').replace(/\/$/, '');
const password = process.env.CIVICGRID_DEMO_PASSWORD ?? 'CivicGrid#2026';
const endpoint = `${baseURL}/open311/v2/`;

/** Calls one of the client's callback methods and resolves with its data, or rejects with its error. */
function call(client, method, ...args) {
  return new Promise((resolve, reject) => {
    client[method](...args, (err, data) => (err ? reject(Object.assign(new Error(`${method}: ${data}`), { code: err })) : resolve(data)));
  });
}

async function api(path, init = {}, token) {
  const headers = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers };
  const response = await fetch(`${baseURL}${path}`, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

let admin;
/** A whole-district reader: the administrators see no case (separation of duties), so the case is read back as this one. */
let reader;
let apiKey;
let place;
let categories;

before(async () => {
  const login = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ userName: 'admin', password, useCookie: false }) });
  admin = login.accessToken;
  reader = (await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ userName: 'district', password, useCookie: false }) })).accessToken;
  const issued = await api('/api/admin/apikeys', { method: 'POST', body: JSON.stringify({ name: `node-open311 test ${Date.now()}` }) }, admin);
  apiKey = issued.key;
  assert.match(apiKey, /.{24,}/);
  categories = new Map((await api('/api/categories')).map((c) => [c.code, c]));

  // A point well inside a demo micro-grid, which the locator places with certainty (as web/e2e/helpers.ts finds one).
  const grids = await api('/api/geo/grids?level=micro', {}, admin);
  for (const feature of grids.features.slice(120, 160)) {
    const ring = feature.geometry.type === 'MultiPolygon' ? feature.geometry.coordinates[0][0] : feature.geometry.coordinates[0];
    const points = ring.slice(0, -1);
    const long = points.reduce((s, p) => s + p[0], 0) / points.length;
    const lat = points.reduce((s, p) => s + p[1], 0) / points.length;
    const located = await api(`/api/geo/locate?lon=${long}&lat=${lat}&crs=wgs84&accuracy=10`, {}, admin);
    if (located.confidence === 'certain' && located.grid?.level === 'micro') {
      place = { lat, long, grid: located.grid.code, jurisdiction: located.chain.find((c) => c.level === 'subdistrict').code };
      break;
    }
  }
  assert.ok(place, 'no demo micro-grid with a certain interior point');
});

function client() {
  return new Open311({ endpoint, jurisdiction: place.jurisdiction, apiKey });
}

test('serviceDiscovery finds the GeoReport v2 endpoint and the client adopts it', async () => {
  const o311 = new Open311({ discovery: `${baseURL}/open311/v2/discovery.json`, jurisdiction: place.jurisdiction, apiKey });
  const discovery = await call(o311, 'serviceDiscovery', { cache: true });
  assert.equal(discovery.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(o311.endpoint, endpoint);
  assert.equal(o311.format, 'json');
  const services = await call(o311, 'serviceList');
  assert.ok(services.some((s) => s.service_code === 'C0102'));
});

test('serviceList lists our catalogue as services', async () => {
  const services = await call(client(), 'serviceList');
  assert.ok(Array.isArray(services) && services.length > 10);
  const streetLight = services.find((s) => s.service_code === 'C0102');
  assert.ok(streetLight, 'C0102 is a service');
  assert.equal(streetLight.service_name, categories.get('C0102').name);
  assert.equal(streetLight.group, categories.get('C0102').majorName);
  assert.equal(streetLight.metadata, true);
  assert.equal(streetLight.type, 'realtime');
  for (const service of services) assert.equal(service.service_name, categories.get(service.service_code)?.name);
});

test('serviceDefinition names the attributes a request may carry', async () => {
  const definition = await call(client(), 'serviceDefinition', 'C0102');
  assert.equal(definition.service_code, 'C0102');
  const codes = definition.attributes.map((a) => a.code);
  assert.deepEqual(codes, ['NOTICE', 'TITLE', 'ACCURACY', 'COMPOUND']);
  const accuracy = definition.attributes.find((a) => a.code === 'ACCURACY');
  assert.equal(accuracy.datatype, 'number');
  assert.equal(accuracy.variable, true);
  assert.equal(accuracy.required, false);
});

test('submitRequest files a case that serviceRequest and serviceRequests read back', async () => {
  const o311 = client();
  const description = `路灯不亮（node-open311 测试 ${Date.now()}）。`;
  const posted = await call(o311, 'submitRequest', {
    service_code: 'C0102',
    lat: place.lat,
    long: place.long,
    description,
    email: 'reporter@example.org',
    first_name: '小明',
    last_name: '王',
    attributes: { TITLE: '路灯不亮', ACCURACY: 8 },
  });
  assert.ok(Array.isArray(posted) && posted.length === 1);
  const id = posted[0].service_request_id;
  assert.match(id, /^\d{13}$/);
  assert.match(posted[0].service_notice, /.+/);

  // Read back by id: with the filing key the client sees its own description and exact position.
  const [mine] = await call(o311, 'serviceRequest', id, { api_key: apiKey });
  assert.equal(mine.service_request_id, id);
  assert.equal(mine.status, 'open');
  assert.equal(mine.service_code, 'C0102');
  assert.equal(mine.service_name, categories.get('C0102').name);
  assert.equal(mine.description, description);
  assert.equal(mine.lat, place.lat);
  assert.equal(mine.long, place.long);
  assert.match(mine.agency_responsible, /网格|社区|街道|区/);
  assert.ok(mine.requested_datetime instanceof Date && !Number.isNaN(mine.requested_datetime.getTime()));
  assert.ok(Math.abs(Date.now() - mine.requested_datetime.getTime()) < 10 * 60_000);

  // Without the key: public facts only, the position to about 100 m, no description, no personal data.
  const [public_] = await call(client(), 'serviceRequest', id);
  assert.equal(public_.status, 'open');
  assert.equal(public_.description ?? null, null);
  assert.equal(public_.lat, Math.round(place.lat * 1000) / 1000);
  assert.ok(!JSON.stringify(public_).includes('reporter@example.org'));
  assert.ok(!JSON.stringify(mine).includes('小明'));

  // The list with filters: service code and status, and a list of ids (the client joins an array with commas).
  const open = await call(o311, 'serviceRequests', { service_code: 'C0102', status: 'open' });
  assert.ok(open.some((r) => r.service_request_id === id));
  assert.ok(open.every((r) => r.service_code === 'C0102' && r.status === 'open'));
  const closed = await call(o311, 'serviceRequests', { service_code: 'C0102', status: 'closed' });
  assert.ok(!closed.some((r) => r.service_request_id === id));
  const other = await call(o311, 'serviceRequests', { service_code: 'E0101' });
  assert.ok(!other.some((r) => r.service_request_id === id));
  const byIds = await call(o311, 'serviceRequests', [id], {});
  assert.deepEqual(byIds.map((r) => r.service_request_id), [id]);

  // The case in the console: the attribute TITLE became its title, the channel is Open311, first_name/last_name the
  // reporter (masked for staff), the e-mail is not stored.
  const detail = await api(`/api/cases/${id}`, {}, reader);
  assert.equal(detail.title, '路灯不亮');
  assert.equal(detail.categoryCode, 'C0102');
  assert.ok(!JSON.stringify(detail).includes('reporter@example.org'));
});

test('submitRequest without a known key is refused with the specification error', async () => {
  const stranger = new Open311({ endpoint, jurisdiction: place.jurisdiction, apiKey: 'not-a-key' });
  await assert.rejects(
    call(stranger, 'submitRequest', { service_code: 'C0102', lat: place.lat, long: place.long, description: '无效密钥。' }),
    (e) => e.code === 403 && /403/.test(e.message),
  );
});

test('token: requests are filed in real time, so no token exists', async () => {
  await assert.rejects(call(client(), 'token', '12345'), /404/);
});
