// The console's devices, 12345 hotline and district pages (issue 6): a device registered with its secret shown once
// (and that secret really signs), retired (and then refused); an alarm type remapped; a hotline file with one bad row
// imported all-or-nothing and then good-rows-only; the exports downloaded; a red case's failing hand-off in its
// delivery log, retried from the console. The browser tests' server points the district webhook at a closed port.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lookAtPage, apiAs, baseURL, shot, unique } from './helpers';
import { consoleChrome, microGridCentre, signIn } from './console-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const hotlineFixture = fileURLToPath(new URL('./fixtures/hotline-orders.csv', import.meta.url));
/** District:Secret of the browser tests' server (scripts/test-web.sh). */
const districtSecret = process.env.CIVICGRID_DISTRICT_SECRET ?? 'e2e-district-secret-0123456789abcdef0123';

/** A device's signed message (a heartbeat unless a path and body are given), as docs/adr/0012-devices.md says a device signs it. */
async function heartbeat(api: APIRequestContext, code: string, secret: string, path = '/api/device-webhook/heartbeats', body = '{}') {
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomUUID().replaceAll('-', '');
  const signature = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}\n${nonce}\n${body}`).digest('hex');
  return api.post(path, {
    data: body,
    headers: {
      'Content-Type': 'application/json', 'X-CivicGrid-Device': code, 'X-CivicGrid-Timestamp': String(timestamp), 'X-CivicGrid-Nonce': nonce,
      'X-CivicGrid-Signature': signature,
    },
  });
}

test('a device is registered with its secret shown once, then retired, after which its messages are refused', async ({ page, playwright }) => {
  const ops = await apiAs('ops');
  const anonymous = await playwright.request.newContext({ baseURL });
  const { lon, lat } = await microGridCentre(ops, 5);
  const code = unique('E2E').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);

  await signIn(page, 'ops');
  await page.locator('[data-test=menu-devices]').click();
  await expect(page.locator('[data-test=device-table]')).toBeVisible();
  await page.locator('[data-test=register-device]').click();
  const dialog = page.locator('[data-test=register-dialog]');
  await dialog.locator('input[name=code]').fill(code);
  await dialog.locator('input[name=name]').fill('3 号楼 2 单元楼道烟感');
  await dialog.locator('input[name=model]').fill('海曼 HM-608PH');
  await dialog.locator('input[name=owner]').fill('幸福里物业');
  // A click on the map fills the position; typing then sets it exactly (inside a micro-grid of the operator's scope).
  await expect(dialog.locator('[data-test=position-picker]')).toHaveAttribute('data-loaded', 'true');
  await dialog.locator('[data-test=position-picker]').click();
  await expect(dialog.locator('input[name=lon]')).toHaveValue(/^10[89]\.\d{6}$/);
  await expect(dialog.locator('input[name=lat]')).toHaveValue(/^3[34]\.\d{6}$/);
  await dialog.locator('input[name=lon]').fill(lon.toFixed(6));
  await dialog.locator('input[name=lon]').blur();
  await dialog.locator('input[name=lat]').fill(lat.toFixed(6));
  await dialog.locator('input[name=lat]').blur();
  await shot(page, 'console-device-register');
  await dialog.locator('[data-test=register-submit]').click();

  // The secret, once, with its warning; it really signs the device's messages.
  const secretDialog = page.locator('[data-test=secret-dialog]');
  await expect(secretDialog).toBeVisible();
  await expect(secretDialog).toContainText('只显示这一次');
  const secret = await secretDialog.locator('input[name=secret]').inputValue();
  // Registered but silent: 从未上报, never 在线 with no heartbeat.
  await expect(page.locator(`[data-test=state-${code}]`)).toHaveText('从未上报');
  expect(secret.length).toBeGreaterThanOrEqual(32);
  await shot(page, 'console-device-secret');
  expect((await heartbeat(anonymous, code, secret)).status()).toBe(204);
  expect((await heartbeat(anonymous, code, 'not-the-secret')).status()).toBe(401);
  const alarm = await heartbeat(anonymous, code, secret, '/api/device-webhook/alarms', JSON.stringify({ type: 'smoke', message: '烟雾浓度 0.15 dB/m' }));
  expect(alarm.status(), await alarm.text()).toBe(201);
  const alarmCase = (await alarm.json()).caseNumber as string;
  await secretDialog.locator('[data-test=secret-done]').click();
  await expect(secretDialog).toBeHidden();
  // Nowhere to see it again: not on the page, not in the API.
  expect(await page.content()).not.toContain(secret);
  expect(JSON.stringify(await (await ops.get(`/api/devices/${code}`)).json())).not.toContain(secret);

  const stored = await (await ops.get(`/api/devices/${code}`)).json();
  expect(stored.gridCode).toMatch(/^610103099/);
  await page.reload();
  await expect(page.locator(`[data-test=state-${code}]`)).toHaveText('在线');

  // Retire it from its detail: a reason is required, then it is listed as retired with who, when and why.
  await page.locator(`[data-test=device-${code}]`).click();
  const detail = page.locator('[data-test=device-detail]');
  await expect(detail).toContainText(code);
  // The case its alarm opened is listed with it.
  await expect(detail.locator('[data-test=device-cases]')).toContainText(alarmCase);
  await detail.locator('[data-test=retire-device]').click();
  const retire = page.locator('[data-test=retire-dialog]');
  await retire.locator('[data-test=retire-submit]').click();
  await expect(retire.locator('.el-alert')).toContainText('停用原因');
  await retire.locator('textarea[name=reason]').fill('楼道改造，烟感已拆除');
  await retire.locator('[data-test=retire-submit]').click();
  await expect(retire).toBeHidden();
  await expect(detail.locator('[data-test=detail-state]')).toHaveText('已停用');
  await expect(detail.locator('[data-test=detail-retired]')).toContainText('楼道改造，烟感已拆除');
  await expect(detail.locator('[data-test=retire-device]')).toHaveCount(0);
  await shot(page, 'console-device-retired');
  await page.keyboard.press('Escape');
  await expect(page.locator(`[data-test=state-${code}]`)).toHaveText('已停用');
  await page.locator('[data-test=filter-state]').click();
  await page.locator('.el-select-dropdown__item', { hasText: '已停用' }).first().click();
  await expect(page.locator(`[data-test=device-${code}]`)).toBeVisible();

  const retired = await (await ops.get(`/api/devices/${code}`)).json();
  expect(retired.isActive).toBe(false);
  expect(retired.retiredReason).toBe('楼道改造，烟感已拆除');
  expect(retired.retiredBy).toBeTruthy();
  // The same 401 as an unknown device.
  const refused = await heartbeat(anonymous, code, secret);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).type).toBe('/problems/device-signature');
  await ops.dispose();
  await anonymous.dispose();
});

test('the system admin maps a new alarm type to a category and remaps it', async ({ page }) => {
  const admin = await apiAs('admin');
  const code = `e2e-${randomUUID().slice(0, 8)}`;
  await signIn(page, 'admin');
  await page.locator('[data-test=menu-devices]').click();
  await page.getByRole('tab', { name: '报警类型' }).click();
  const card = page.locator('[data-test=alarm-types]');
  await expect(card.locator('[data-test=alarm-category-offline]')).toContainText('C0103');

  await card.locator('[data-test=add-alarm-type]').click();
  const dialog = page.locator('[data-test=alarm-dialog]');
  await dialog.locator('input[name=alarmCode]').fill(code);
  await dialog.locator('input[name=alarmName]').fill('视频识别：高空抛物');
  // Without a category the server refuses with its Chinese sentence.
  await dialog.locator('[data-test=alarm-save]').click();
  await expect(dialog.locator('[data-test=alarm-error]')).toContainText('事件小类');
  await dialog.locator('[data-test=alarm-category]').click();
  await page.keyboard.type('E0101');
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'E0101' }).first().click();
  await dialog.locator('[data-test=alarm-save]').click();
  await expect(dialog).toBeHidden();
  await expect(card.locator(`[data-test=alarm-category-${code}]`)).toContainText('E0101');

  await card.locator(`[data-test=edit-alarm-${code}]`).click();
  await expect(dialog.locator('input[name=alarmCode]')).toBeDisabled();
  await dialog.locator('[data-test=alarm-category]').click();
  await page.keyboard.type('C0101');
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'C0101' }).first().click();
  await dialog.locator('[data-test=alarm-save]').click();
  await expect(dialog).toBeHidden();
  await expect(card.locator(`[data-test=alarm-category-${code}]`)).toContainText('C0101');
  await shot(page, 'console-alarm-types');

  const types = (await (await admin.get('/api/devices/alarm-types')).json()) as { code: string; categoryCode: string; updatedAt: string | null }[];
  const saved = types.find((t) => t.code === code)!;
  expect(saved.categoryCode).toBe('C0101');
  expect(saved.updatedAt).toBeTruthy();
  await admin.dispose();
});

test('a hotline file with a bad row: all or nothing refuses it with per-row errors, good rows only imports the rest; exports download', async ({ page }) => {
  const ops = await apiAs('ops');
  const run = unique('').replace(/\D/g, '').slice(-8);
  const csv = readFileSync(hotlineFixture, 'utf8').replaceAll('{run}', run);
  const orders = [`GD${run}01`, `GD${run}02`, `GD${run}03`];

  await signIn(page, 'ops');
  await page.locator('[data-test=menu-hotline]').click();
  const card = page.locator('[data-test=hotline-import]');
  await expect(card.locator('[data-test=hotline-file]')).not.toContainText('Choose');
  await card.locator('[data-test=hotline-file] input[type=file]').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await expect(card.locator('[data-test=mode-all] input')).toBeChecked();
  await card.locator('[data-test=hotline-upload]').click();

  // All or nothing: the row with an unknown address is named with the server's sentence, and nothing is stored.
  await expect(card.locator('[data-test=hotline-problem]')).toContainText('未导入任何工单');
  const badRow = card.locator('[data-test=hotline-rows] .el-table__row', { hasText: orders[1]! });
  await expect(badRow).toContainText('3');
  await expect(badRow.locator('[data-test=row-error]')).toContainText('无法根据诉求地址“火星路1号”确定所属网格');
  await expect(card.locator('[data-test=hotline-summary]')).toContainText('未导入任何工单');
  await shot(page, 'console-hotline-all-or-nothing');
  for (const order of orders) {
    expect((await (await ops.get(`/api/cases?text=${order}`)).json()).total).toBe(0);
  }

  // Good rows only: two cases, linked by number; the bad row still listed with its error.
  await card.locator('[data-test=mode-partial]').click();
  await card.locator('[data-test=hotline-upload]').click();
  await expect(card.locator('[data-test=hotline-summary]')).toContainText('新建 2');
  await expect(card.locator('[data-test=hotline-rows] .el-table__row')).toHaveCount(3);
  await expect(card.locator('[data-test=hotline-rows] .el-table__row', { hasText: orders[1]! }).locator('[data-test=row-outcome]')).toHaveText('有误');
  const created = card.locator('[data-test=hotline-rows] .el-table__row', { hasText: orders[0]! });
  await expect(created.locator('[data-test=row-outcome]')).toHaveText('新建');
  const number = (await created.locator('[data-test=row-case]').textContent())!.trim();
  await shot(page, 'console-hotline-good-rows');
  expect((await (await ops.get(`/api/cases/${number}`)).json()).channel).toBe('hotline12345');

  // Exports back to the hotline: Excel, and CSV in GB18030 for older software.
  const exports = page.locator('[data-test=hotline-export]');
  const xlsx = page.waitForEvent('download');
  await exports.locator('[data-test=export-xlsx] button').click();
  expect((await xlsx).suggestedFilename()).toMatch(/\.xlsx$/);
  const gb = page.waitForEvent('download');
  await exports.locator('[data-test=export-gb18030] button').click();
  const download = await gb;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
  const text = new TextDecoder('gb18030').decode(bytes);
  expect(text.startsWith('工单编号,案件编号,办理状态')).toBe(true);
  expect(text).toContain(`${orders[0]},${number},`);
  expect(text).not.toContain(orders[1]);

  // The stored mappings are listed for everyone who imports.
  await expect(page.locator('[data-test=hotline-mappings] .el-table__row', { hasText: 'default' })).toContainText('工单编号');
  await ops.dispose();
});

test("a red case's hand-off that cannot reach the district shows its failed attempts, and is retried from the console", async ({ page, playwright }) => {
  const ops = await apiAs('ops');
  const { lon, lat } = await microGridCentre(ops, 12);
  const created = await ops.post('/api/cases', {
    data: { categoryCode: 'C0101', description: `${unique('区级移交')} 主干道井盖缺失`, lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '孙先生' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  expect(created.status()).toBe(201);
  const { number } = await created.json();
  let version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  for (const reason of ['需社区协调。', '需街道研究。', '涉及区级权限。']) {
    const escalated = await ops.post(`/api/cases/${number}/escalate`, { data: { expectedVersion: version, reason } });
    expect(escalated.status(), await escalated.text()).toBe(200);
    version = (await (await ops.get(`/api/cases/${number}`)).json()).version;
  }
  const handed = await ops.post(`/api/cases/${number}/hand-to-district`, { data: { expectedVersion: version, summary: '主干道井盖缺失，需区城管局处置。' } });
  expect(handed.status(), await handed.text()).toBe(200);
  const referral = ((await (await ops.get('/api/district-referrals')).json()) as { id: string; caseNumber: string }[]).find((r) => r.caseNumber === number)!;
  // The dispatcher polls every 2 s here; the closed port refuses at once.
  await expect.poll(async () => (await (await ops.get(`/api/district-referrals/${referral.id}/deliveries`)).json()).attempts.length, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(1);

  await signIn(page, 'ops');
  await page.goto(`/cases/${number}`);
  const log = page.locator('[data-test=delivery-log]');
  await expect(log).toBeVisible();
  // What happened and what happens next, in Chinese: never "推送中" beside a failed attempt, no exception, status or milliseconds.
  await expect(log.locator('[data-test=delivery-state]')).toHaveText('推送失败·待重试');
  await expect(log.locator('[data-test=delivery-sentence]')).toHaveText(/^推送失败，系统将于 \d{2}:\d{2} 自动重试$/);
  const firstAttempt = log.locator('[data-test=delivery-attempts] .el-table__row').first();
  await expect(firstAttempt).toContainText('失败');
  await expect(firstAttempt).toContainText('无法连接区级系统');
  await expect(log).not.toContainText('Exception');
  await expect(log).not.toContainText(' ms');
  await expect(log).not.toContainText('HTTP');
  await expect(log.locator('[data-test=technical-details]')).toHaveCount(0); // for administrators only
  await lookAtPage(page, 'console-case-delivery-log', { exclude: consoleChrome });

  // Retry now: one more attempt at once (the back-off would wait 30 s or more), logged like the first.
  const before = (await (await ops.get(`/api/district-referrals/${referral.id}/deliveries`)).json()).attempts.length as number;
  await log.locator('[data-test=retry-now]').click();
  await expect(log).toContainText('要求立即重试');
  await expect.poll(async () => (await (await ops.get(`/api/district-referrals/${referral.id}/deliveries`)).json()).attempts.length, { timeout: 15_000 })
    .toBeGreaterThan(before);
  await log.locator('[data-test=delivery-refresh]').click();
  await expect(log.locator('[data-test=delivery-attempts] .el-table__row')).toHaveCount(before + 1);

  // The hand-offs page lists it as retrying, with its attempts and last error.
  await page.locator('[data-test=menu-district]').click();
  await page.locator('[data-test=filter-pending]').click();
  const row = page.locator('[data-test=referral-table] .el-table__row', { hasText: number });
  await expect(row).toContainText('推送失败·待重试');
  await expect(row).toContainText('自动重试');
  await expect(page.locator('[data-test=referral-table]')).not.toContainText('Exception');
  await lookAtPage(page, 'console-district-hand-offs', { exclude: consoleChrome });
  await page.locator('[data-test=filter-sent]').click();
  await expect(page.locator('[data-test=referral-table] .el-table__row', { hasText: number })).toHaveCount(0);

  // The district's system answers (signed as it would): the answer is on the case's timeline beside the log.
  const body = JSON.stringify({ referralId: referral.id, outcome: 'accepted', answer: '区城管局已受理，三日内补装井盖。', messageId: `e2e-${Date.now()}` });
  const timestamp = Math.floor(Date.now() / 1000);
  const answered = await playwright.request.newContext({ baseURL });
  const response = await answered.post('/api/district/answers', {
    data: body,
    headers: {
      'Content-Type': 'application/json', 'X-CivicGrid-Timestamp': String(timestamp),
      'X-CivicGrid-Signature': 'v1=' + createHmac('sha256', districtSecret).update(`${timestamp}.${body}`).digest('hex'),
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  await page.goto(`/cases/${number}`);
  await expect(page.locator('[data-test=timeline]')).toContainText('区城管局已受理，三日内补装井盖。');
  await expect(page.locator('[data-test=delivery-log]')).toContainText('已受理');
  await answered.dispose();
  await ops.dispose();
});

test('the system admin adds a hotline column mapping; an unknown subcategory is refused with the server\'s sentence', async ({ page }) => {
  const admin = await apiAs('admin');
  const name = `e2e-${randomUUID().slice(0, 8)}`;
  await signIn(page, 'admin');
  await page.locator('[data-test=menu-hotline]').click();
  const card = page.locator('[data-test=hotline-mappings]');
  await card.locator('[data-test=add-mapping]').click();
  const dialog = page.locator('[data-test=mapping-dialog]');
  await dialog.locator('input[name=mappingName]').fill(name);
  const columns = { orderNumberColumn: '受理编号', calledAtColumn: '受理时间', callerNameColumn: '姓名', phoneColumn: '电话', addressColumn: '事发地址',
    contentColumn: '问题描述', categoryColumn: '问题分类' };
  for (const [field, header] of Object.entries(columns)) await dialog.locator(`input[name=${field}]`).fill(header);
  await dialog.getByRole('button', { name: '添加一项' }).click();
  await dialog.getByPlaceholder('热线类别').fill('市容环境');
  await dialog.getByPlaceholder('小类编码').fill('Z9999');
  await dialog.locator('[data-test=mapping-save]').click();
  await expect(dialog.locator('[data-test=mapping-error]')).toContainText('没有这些事件小类：Z9999');

  await dialog.getByPlaceholder('小类编码').fill('E0103');
  await dialog.locator('[data-test=mapping-save]').click();
  await expect(dialog).toBeHidden();
  await expect(card.locator('.el-table__row', { hasText: name })).toContainText('受理编号');
  // The system admin sees no import form (orders are case content); the mapping list is theirs.
  await expect(page.locator('[data-test=hotline-import]')).toHaveCount(0);
  await shot(page, 'console-hotline-mapping');

  const stored = ((await (await admin.get('/api/hotline/mappings')).json()) as { name: string; addressColumn: string; categories: Record<string, string> }[])
    .find((m) => m.name === name)!;
  expect(stored.addressColumn).toBe('事发地址');
  expect(stored.categories).toEqual({ 市容环境: 'E0103' });
  await admin.dispose();
});
