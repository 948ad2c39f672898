// The staff console: queues with badge counts, the case detail, a transfer through its dialog, the English switch.
import { test, expect, type Page } from '@playwright/test';
import { apiAs, lookAtPage, photo, shot, unique } from './helpers';
import { consoleChrome, microGridCentre, signIn } from './console-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test('the queues show their counts and open the case detail', async ({ page }) => {
  await signIn(page, 'community01');
  const staff = await apiAs('community01');
  const counts = (await (await staff.get('/api/cases/inbox')).json()).boxes as { box: string; count: number }[];
  const busiest = counts.filter((b) => b.count > 0).sort((a, b) => b.count - a.count)[0]!;
  await expect(page.locator(`[data-test=menu-${busiest.box}] .el-badge__content`)).toHaveText(String(Math.min(busiest.count, 9999)));
  await shot(page, 'console-home');

  for (const box of ['to-accept', 'to-confirm', 'due-soon', 'overdue', 'supervised', 'mine']) {
    await page.locator(`[data-test=menu-${box}]`).click();
    await expect(page.locator(`[data-test=queue-${box}]`)).toBeVisible();
    await expect(page.locator(`[data-test=queue-${box}] .el-loading-mask`)).toHaveCount(0);
    await shot(page, `console-queue-${box}`);
  }

  await page.locator(`[data-test=menu-${busiest.box}]`).click();
  const first = page.locator('[data-test=case-link]').first();
  const number = (await first.textContent())!.trim();
  await first.click();
  await expect(page.locator('[data-test=case-number]')).toHaveText(number);
  const detail = await (await staff.get(`/api/cases/${number}`)).json();
  // Every allowed verb is offered once: the next step and its counterpart as buttons, the rest under 更多.
  await openAllActions(page);
  for (const action of detail.allowedActions as string[]) await expect(page.locator(`[data-test=action-${action}]`)).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-test=timeline] .el-timeline-item').first()).toBeVisible();
  await expect(page.locator('[data-test=case-map]')).toHaveAttribute('data-loaded', 'true');
  await shot(page, 'console-case-detail');

  await page.locator('[data-test=menu-search]').click();
  await expect(page.locator('[data-test=total]')).toContainText(/\d+/);
  await page.locator('input[name=text]').fill(number);
  await page.locator('[data-test=do-search]').click();
  await expect(page.locator('[data-test=case-link]')).toHaveText([number]);
  await expect(page.locator('[data-test=export]')).toHaveAttribute('href', new RegExp(`export\\.xlsx\\?sort=newest&text=${number}`));
  const download = page.waitForEvent('download');
  await page.locator('[data-test=export] button').click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  await shot(page, 'console-search');
  await staff.dispose();
});

test('a case is transferred to another grid through the detail dialog', async ({ page }) => {
  const staff = await apiAs('community01');
  const micros = (await (await staff.get('/api/grids?level=micro')).json()) as { code: string; name: string }[];
  const [from, to] = [micros[3]!, micros[micros.length - 3]!];
  const grid = (await (await staff.get(`/api/geo/grids?level=micro`)).json()).features
    .find((f: { properties: { code: string } }) => f.properties.code === from.code);
  const ring = (grid.geometry.type === 'MultiPolygon' ? grid.geometry.coordinates[0][0] : grid.geometry.coordinates[0]) as number[][];
  const lon = ring.slice(0, -1).reduce((s, p) => s + p[0]!, 0) / (ring.length - 1);
  const lat = ring.slice(0, -1).reduce((s, p) => s + p[1]!, 0) / (ring.length - 1);
  const token = unique('转办测试');
  const created = await staff.post('/api/cases', {
    data: { categoryCode: 'E0101', description: `${token} 楼道堆放杂物`, lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '王先生', phone: '13800001234' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  expect(created.status()).toBe(201);
  const { number } = await created.json();
  const before = await (await staff.get(`/api/cases/${number}`)).json();
  expect(before.allowedActions).toContain('transfer');

  await signIn(page, 'community01');
  await page.goto(`/cases/${number}`);
  await expect(page.locator('[data-test=case-grid]')).toHaveText(before.gridName); // the grid's name, not its code
  await expect(page.locator('[data-test=reporter]')).toContainText('138****1234');
  await page.locator('[data-test=reveal]').click();
  await page.locator('.el-message-box input').fill('回电核实情况');
  await page.locator('.el-message-box__btns .el-button--primary').click();
  await expect(page.locator('[data-test=reporter]')).toContainText('13800001234');
  await runAction(page, 'transfer');
  const dialog = page.locator('[data-test=dialog-transfer]');
  await expect(dialog).toBeVisible();
  // The grid is picked by name from the tree, never typed as a code.
  await dialog.locator('[data-test=to-grid]').click();
  await page.keyboard.type(to.name);
  await page.locator('.el-select-dropdown__item:visible', { hasText: to.name }).first().click();
  await dialog.locator('textarea[name=reason]').fill('位置在相邻网格，转给该网格办理');
  await shot(page, 'console-transfer-dialog');
  await dialog.locator('[data-test=action-submit]').click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-test=case-grid]')).toHaveText(to.name);
  // The staff log says who transferred it from which grid to which, by names.
  const transferred = page.locator('[data-test=log-entry]').last();
  await expect(transferred.locator('[data-test=log-text]')).toHaveText(`转办：${from.name} → ${to.name}`);
  await expect(transferred.locator('[data-test=log-actor]')).toContainText('（社区工作人员）');
  await shot(page, 'console-transferred');

  const after = await (await staff.get(`/api/cases/${number}`)).json();
  expect(after.gridCode).toBe(to.code);
  const inTarget = await (await staff.get(`/api/cases?gridCode=${to.code}&text=${encodeURIComponent(token)}`)).json();
  expect(inTarget.total).toBe(1);
  await staff.dispose();
});

test('a stale version is reloaded and said, a broken rule shows its Chinese detail', async ({ page }) => {
  const staff = await apiAs('community01');
  const token = unique('冲突测试');
  const place = (await (await staff.get(`/api/places?text=${encodeURIComponent('号楼')}`)).json())[0];
  const created = await staff.post('/api/cases', {
    data: { categoryCode: 'E0101', description: `${token} 路灯不亮`, lon: String(place.lon), lat: String(place.lat), crs: 'wgs84', callerName: '李女士' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  const { number } = await created.json();
  await signIn(page, 'community01');
  await page.goto(`/cases/${number}`);
  await expect(page.locator('[data-test=action-reject]')).toBeVisible();
  // Someone else accepts it meanwhile.
  const seen = await (await staff.get(`/api/cases/${number}`)).json();
  expect((await staff.post(`/api/cases/${number}/accept`, { data: { expectedVersion: seen.version } })).status()).toBe(200);
  await runAction(page, 'reject');
  await page.locator('[data-test=dialog-reject] textarea[name=reason]').fill('重复上报');
  await page.locator('[data-test=dialog-reject] [data-test=action-submit]').click();
  await expect(page.locator('.el-message--warning')).toBeVisible();
  await expect(page.locator('[data-test=case-status]')).toHaveText('已立案');
  await expect(page.locator('[data-test=action-reject]')).toHaveCount(0);
  await shot(page, 'console-conflict-reloaded');

  // A review date must lie after today (the server's rule): the picker does not offer today or earlier days.
  await runAction(page, 'park');
  const park = page.locator('[data-test=dialog-park]');
  await park.locator('textarea[name=reason]').fill('需等待管线改造');
  await park.locator('.el-date-editor input').click();
  await expect(page.locator('.el-date-table td.today:visible')).toHaveClass(/disabled/);
  await expect(page.locator('.el-date-table td.today:visible + td, .el-date-table tr:has(td.today:visible) + tr td:first-child').first()).not.toHaveClass(/disabled/);
  await park.locator('.el-date-editor input').fill('2020-01-01');
  await park.locator('.el-date-editor input').press('Enter');
  await park.locator('[data-test=action-submit]').click();
  await expect(park.locator('[data-test=action-error]')).toContainText('复查日期'); // the past date was not taken
  await shot(page, 'console-rule-refused');
  await lookAtPage(page, 'console-park-dialog', { exclude: consoleChrome });
  await park.locator('.el-dialog__headerbtn').click();
  await staff.dispose();
});

test('the meeting page lists the blue cases waiting for the joint meeting', async ({ page }) => {
  const ops = await apiAs('ops');
  const agenda = (await (await ops.get('/api/meetings/agenda')).json()) as unknown[];
  await signIn(page, 'ops');
  await page.locator('[data-test=menu-meetings]').click();
  await expect(page.locator('[data-test=meeting]')).toContainText(`（${agenda.length}）`);
  if (agenda.length > 0) await expect(page.locator('[data-test=agenda] .el-table__row')).toHaveCount(agenda.length);
  await shot(page, 'console-meetings');
  await ops.dispose();
});

test('the console switches to English and stays so', async ({ page }) => {
  await signIn(page, 'ops');
  await page.locator('[data-test=language]').click();
  await expect(page.locator('[data-test=menu-search]')).toHaveText('Search cases');
  await page.reload();
  await expect(page.locator('[data-test=menu-search]')).toHaveText('Search cases');
  await page.locator('[data-test=menu-to-accept]').click();
  await expect(page.locator('[data-test=queue-to-accept]')).toContainText('To accept');
  await shot(page, 'console-english');
  await page.locator('[data-test=language]').click();
  await expect(page.locator('[data-test=menu-search]')).toHaveText('案件查询');
});

test('a community case is dispatched to a department through the assign dialog', async ({ page }) => {
  const staff = await apiAs('community01');
  const { lon, lat } = await microGridCentre(staff, 5);
  // 邻里纠纷 is yellow by default: the community owns it and dispatches it.
  const created = await staff.post('/api/cases', {
    data: { categoryCode: 'G0101', description: `${unique('派单测试')} 楼上漏水邻里协商不成`, lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '李女士' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  expect(created.status()).toBe(201);
  const { number } = await created.json();
  const seen = await (await staff.get(`/api/cases/${number}`)).json();
  expect((await staff.post(`/api/cases/${number}/accept`, { data: { expectedVersion: seen.version } })).status()).toBe(200);
  const departments = (await (await staff.get('/api/organisations?kind=department')).json()) as { id: string; name: string }[];
  expect(departments.length).toBeGreaterThan(0);

  await signIn(page, 'community01');
  await page.goto(`/cases/${number}`);
  await page.locator('[data-test=action-assign]').click();
  const dialog = page.locator('[data-test=dialog-assign]');
  await expect(dialog).toBeVisible();
  await dialog.locator('[data-test=assign-to] label', { hasText: '交给职能部门' }).click();
  await dialog.locator('[data-test=department]').click();
  await page.locator('.el-select-dropdown__item', { hasText: departments[0]!.name }).first().click();
  await shot(page, 'console-assign-department');
  await dialog.locator('[data-test=action-submit]').click();
  await expect(dialog).toBeHidden();

  const after = await (await staff.get(`/api/cases/${number}`)).json();
  expect(after.status).toBe('assigned');
  expect(after.assigneeName).toBe(departments[0]!.name);
  await staff.dispose();
});

test('a department liaison handles a dispatched case in the console and feeds back with a photo', async ({ page }) => {
  const staff = await apiAs('community01');
  const liaison = await apiAs('police01');
  const me = await (await liaison.get('/api/auth/me')).json();
  expect(me.organisationId).toBeTruthy();
  const { lon, lat } = await microGridCentre(staff, 7);
  const created = await staff.post('/api/cases', {
    data: { categoryCode: 'G0101', description: `${unique('部门处置')} 深夜噪音扰民`, lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '赵先生' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  const { number } = await created.json();
  let seen = await (await staff.get(`/api/cases/${number}`)).json();
  expect((await staff.post(`/api/cases/${number}/accept`, { data: { expectedVersion: seen.version } })).status()).toBe(200);
  seen = await (await staff.get(`/api/cases/${number}`)).json();
  expect((await staff.post(`/api/cases/${number}/assign`, { data: { expectedVersion: seen.version, departmentId: me.organisationId } })).status()).toBe(200);

  await signIn(page, 'police01');
  await page.goto(`/cases/${number}`);
  await page.locator('[data-test=action-start-handling]').click();
  await page.locator('[data-test=dialog-start-handling] [data-test=action-submit]').click();
  await expect(page.locator('[data-test=action-record-handled]')).toBeVisible();
  await page.locator('[data-test=action-record-handled]').click();
  const dialog = page.locator('[data-test=dialog-record-handled]');
  // The Chinese picker shows the photo as a thumbnail, which opens larger and can be removed.
  await dialog.locator('[data-test=handled-photos] input[type=file]').setInputFiles(photo);
  await expect(dialog.locator('[data-test=handled-photos] [data-test=photo-thumb] img')).toHaveCount(1);
  await dialog.locator('[data-test=photo-thumb] button').first().click();
  const preview = page.locator('.el-dialog', { has: page.locator('img.big') });
  await expect(preview.locator('img.big')).toBeVisible();
  await preview.locator('.el-dialog__headerbtn').click();
  await expect(preview).toBeHidden();
  await expect(dialog.locator('[data-test=handled-photos]')).not.toContainText('Choose');
  // Element Plus puts the attributes on the native textarea itself.
  await dialog.locator('textarea[data-test=note]').fill('已上门劝导，住户承诺夜间不再扰民');
  await lookAtPage(page, 'console-handled-with-photo', { exclude: consoleChrome });
  await dialog.locator('[data-test=action-submit]').click();
  await expect(dialog).toBeHidden();

  const after = await (await liaison.get(`/api/cases/${number}`)).json();
  expect(after.status).toBe('handled');
  const photos = await (await liaison.get(`/api/cases/${number}/photos`)).json();
  expect(photos.filter((p: { purpose: string }) => p.purpose !== 'report').length).toBe(1);
  await staff.dispose();
  await liaison.dispose();
});

test('a joint meeting is recorded with a decision for a blue case, and the case carries it', async ({ page }) => {
  const staff = await apiAs('community01');
  const ops = await apiAs('ops');
  const { lon, lat } = await microGridCentre(staff, 9);
  const created = await staff.post('/api/cases', {
    data: { categoryCode: 'G0101', description: `${unique('联席会议')} 多户共用管道纠纷`, lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '钱女士' },
    headers: { 'Idempotency-Key': unique('key') },
  });
  const { number } = await created.json();
  const seen = await (await staff.get(`/api/cases/${number}`)).json();
  // The community cannot settle it: up to the subdistrict (blue), onto the meeting's agenda.
  expect((await staff.post(`/api/cases/${number}/escalate`, { data: { expectedVersion: seen.version, reason: '涉及多个部门，社区无法协调' } })).status()).toBe(200);

  await signIn(page, 'ops');
  await page.locator('[data-test=menu-meetings]').click();
  const row = page.locator('[data-test=agenda] .el-table__row', { hasText: number });
  await expect(row).toHaveCount(1);
  const meeting = page.locator('[data-test=meeting]');
  const title = unique('联席会议');
  await meeting.locator('input[name=title]').fill(title);
  const when = meeting.locator('.el-date-editor input');
  await when.fill('2026-11-27 10:00');
  await when.press('Enter');
  await meeting.locator('input[name=place]').fill('街道城运中心会议室');
  // Participants are typed and added with Enter (the select creates the entry).
  await meeting.locator('.el-select').click();
  await page.keyboard.type('水务所');
  await page.keyboard.press('Enter');
  await expect(meeting.locator('.el-select .el-tag')).toContainText('水务所');
  await row.locator('input').fill('由水务所牵头，本周内更换共用管道');
  await shot(page, 'console-meeting-record');
  await meeting.locator('button[type=submit]').click();
  // Saved: the record is among the past meetings with the case (which stays on the agenda, open, with its decision counted).
  await expect(page.locator('.el-table__row', { hasText: title })).toContainText(number);

  const after = await (await ops.get(`/api/cases/${number}`)).json();
  expect(after.meetingDecisions.map((d: { decision: string }) => d.decision)).toEqual(['由水务所牵头，本周内更换共用管道']);
  await staff.dispose();
  await ops.dispose();
});

/** Opens 更多 on the case detail, where the verbs other than the next step and its counterpart are. */
async function openAllActions(page: Page) {
  const more = page.locator('[data-test=more-actions-button]');
  if (await more.count()) {
    await more.click();
    await expect(page.locator('.el-dropdown-menu:visible')).toBeVisible();
  }
}

/** Takes a verb on the case detail, whether it is a button or under 更多. */
async function runAction(page: Page, verb: string) {
  const button = page.locator(`[data-test=actions] button[data-test=action-${verb}]`);
  if (await button.count()) {
    await button.click();
    return;
  }
  await page.locator('[data-test=more-actions-button]').click();
  await page.locator(`.el-dropdown-menu:visible [data-test=action-${verb}]`).click();
}

test('the case lists read like a work tool: names, deadlines, legend, paging, whole rows, the next step, the log and the work order', async ({ page }) => {
  test.setTimeout(300_000);
  const staff = await apiAs('community01');
  const me = await (await staff.get('/api/auth/me')).json();
  const token = unique('工作台');
  const numbers: string[] = [];
  for (const [i, what] of ['楼道堆放杂物', '路灯不亮', '井盖松动'].entries()) {
    const { lon, lat } = await microGridCentre(staff, 11 + i);
    const created = await staff.post('/api/cases', {
      data: { categoryCode: 'E0101', description: `${token} ${what}`, lon: String(lon), lat: String(lat), crs: 'wgs84', callerName: '周先生' },
      headers: { 'Idempotency-Key': unique('key') },
    });
    expect(created.status()).toBe(201);
    numbers.push((await created.json()).number);
  }
  // One is dispatched: its deadline is the handling time; the others wait for acceptance (受理时限).
  let seen = await (await staff.get(`/api/cases/${numbers[1]}`)).json();
  expect((await staff.post(`/api/cases/${numbers[1]}/accept`, { data: { expectedVersion: seen.version } })).status()).toBe(200);
  seen = await (await staff.get(`/api/cases/${numbers[1]}`)).json();
  expect((await staff.post(`/api/cases/${numbers[1]}/assign`, { data: { expectedVersion: seen.version, departmentId: (await (await staff.get('/api/organisations?kind=department')).json())[0].id } })).status()).toBe(200);
  const all = await (await staff.get('/api/cases?pageSize=20&page=2')).json();

  await signIn(page, 'community01');
  await page.locator('[data-test=menu-search]').click();
  const table = page.locator('[data-test=cases]');
  // Paging on the server, with the total; page 2 is the server's page 2.
  await expect(page.locator('[data-test=cases-pager] .el-pagination__total')).toContainText(String(all.total));
  await page.locator('[data-test=cases-pager] .el-pager li', { hasText: /^2$/ }).click();
  await expect(table.locator('[data-test=case-link]').first()).toHaveText(all.items[0].number);
  // The colour legend says who owns each colour.
  const legend = page.locator('[data-test=tier-legend]');
  for (const [tier, words] of [['green', '绿 网格'], ['yellow', '黄 社区'], ['blue', '蓝 街道'], ['red', '红 区级']]) {
    await expect(legend.locator(`[data-test=legend-${tier}]`)).toContainText(words!);
  }

  // Category and grid are picked from trees by name; future report dates are not offered.
  await page.locator('input[name=text]').fill(token);
  await page.locator('.el-select[data-test=category-picker]').click();
  await page.keyboard.type('暴露垃圾');
  await page.locator('.el-tree-node__content:visible', { hasText: '暴露垃圾' }).first().click();
  await page.locator('[data-test=search] .el-range-editor input').first().click();
  await expect(page.locator('.el-date-range-picker td.today:visible').first()).not.toHaveClass(/disabled/);
  await expect(page.locator('.el-date-range-picker td.available:visible.disabled, .el-date-range-picker td.disabled:visible').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await page.locator('[data-test=do-search]').click();
  await expect(table.locator('[data-test=case-link]')).toHaveCount(3);

  // Grid names, not codes (the code on hover), and a deadline on every row: 受理 for the reported ones, 办理 for the dispatched.
  const detail0 = await (await staff.get(`/api/cases/${numbers[0]}`)).json();
  const gridCell = table.locator('.el-table__row', { hasText: numbers[0]! }).locator('[data-test=case-grid-name]');
  await expect(gridCell).toHaveText(detail0.gridName);
  await expect(gridCell).toHaveAttribute('data-code', detail0.gridCode);
  await expect(table.locator('[data-test=case-deadline]')).toHaveCount(3);
  await expect(table.locator('.el-table__row', { hasText: numbers[1]! }).locator('[data-test=case-deadline]')).toContainText('办理');
  await expect(table.locator('.el-table__row', { hasText: numbers[0]! }).locator('[data-test=case-deadline]')).toContainText('受理');

  // Sorted by deadline on the server: soonest first.
  await table.locator('th', { hasText: '时限' }).click();
  await expect.poll(async () => {
    const due = await table.locator('[data-test=case-deadline]').evaluateAll((cells) => cells.map((c) => Date.parse(c.getAttribute('data-deadline')!)));
    return due.length === 3 && due.every((d, i) => i === 0 || due[i - 1]! <= d);
  }).toBe(true);
  await lookAtPage(page, 'console-case-list', { exclude: consoleChrome });

  // The grid picker narrows to a grid's subtree, by name.
  const gridName = detail0.gridName as string; // the grid the first case was routed to
  const order = (await table.locator('[data-test=case-link]').allTextContents()).map((n) => n.trim());
  await page.locator('.el-select[data-test=grid-picker]').click();
  await page.keyboard.type(gridName);
  await page.locator('.el-tree-node__content:visible', { hasText: gridName }).first().click();
  await page.locator('[data-test=do-search]').click();
  await expect(table.locator('[data-test=case-link]')).toHaveText([numbers[0]!]);
  // A whole row opens the case.
  await table.locator('.el-table__row').first().locator('td').nth(1).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${numbers[0]}`));

  // … and Enter on a focused row does too, in the order the list had (soonest deadline first).
  await page.goto('/cases');
  await page.locator('input[name=text]').fill(token);
  await page.locator('[data-test=do-search]').click();
  await expect(table.locator('[data-test=case-link]')).toHaveCount(3);
  await table.locator('th', { hasText: '时限' }).click();
  await expect(table.locator('[data-test=case-link]')).toHaveText(order);
  await table.locator('.el-table__row').nth(1).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/cases/${order[1]}`));
  await expect(page.locator('[data-test=case-number]')).toHaveText(order[1]!);

  // 下一件 walks the same list.
  await page.locator('[data-test=next-case]').click();
  await expect(page.locator('[data-test=case-number]')).toHaveText(order[2]!);
  await expect(page.locator('[data-test=next-case]')).toBeDisabled();

  // One clear next step: 立案 for a reported case, with 不予立案 beside it and the rest under 更多.
  await page.goto(`/cases/${numbers[0]}`);
  const actions = page.locator('[data-test=actions]');
  await expect(actions.locator('button.primary')).toHaveText('立案');
  await expect(actions.locator('[data-test=primary-hint]')).toContainText('立案');
  await expect(actions.locator('button[data-test=action-reject]')).toBeVisible();
  await expect(actions.locator('button[data-test=action-transfer]')).toHaveCount(0);
  await expect(page.locator('[data-test=case-deadline]')).toBeVisible();
  await expect(page.locator('[data-test=case-assignee]')).toHaveText('尚未交办');
  await actions.locator('button.primary').click();
  await lookAtPage(page, 'console-accept-dialog', { exclude: consoleChrome });
  await page.locator('[data-test=dialog-accept] [data-test=action-submit]').click();
  await expect(page.locator('[data-test=case-status]')).toHaveText('已立案');
  await expect(actions.locator('button.primary')).toHaveText('交办');

  // The log is a staff log: what was done, by whom and in what role — never the resident's "您反映的问题…".
  const log = page.locator('[data-test=staff-log]');
  await expect(log.locator('[data-test=log-text]').first()).toHaveText('上报（电话/来访登记）');
  const accepted = log.locator('[data-test=log-entry]').last();
  await expect(accepted.locator('[data-test=log-text]')).toHaveText('立案受理，由网格长负责');
  await expect(accepted.locator('[data-test=log-actor]')).toContainText(`${me.displayName}（社区工作人员）`);
  await expect(log).not.toContainText('您反映');
  await lookAtPage(page, 'console-case-detail-staff', { exclude: consoleChrome });

  // The dispatched case shows its handler and its deadline.
  await page.goto(`/cases/${numbers[1]}`);
  await expect(page.locator('[data-test=case-assignee]')).not.toHaveText('尚未交办');
  await expect(page.locator('[data-test=case-deadline]')).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(log.locator('[data-test=log-entry]').last().locator('[data-test=log-text]')).toContainText('交办给');

  // The work order prints on A4: number, category, place, description, deadline, handler and the log, without the console around it.
  await page.locator('[data-test=print-order]').click();
  await expect(page).toHaveURL(new RegExp(`/cases/${numbers[1]}/print`));
  const order2 = page.locator('[data-test=work-order]');
  await expect(order2.locator('[data-test=order-number]')).toContainText(numbers[1]!);
  await expect(order2.locator('[data-test=order-category]')).toContainText('暴露垃圾');
  await expect(order2.locator('[data-test=order-grid]')).not.toHaveText(/^\d+$/);
  await expect(order2.locator('[data-test=order-description]')).toContainText(token);
  await expect(order2.locator('[data-test=order-assignee]')).not.toHaveText('尚未交办');
  await expect(order2.locator('[data-test=order-deadline]')).toContainText('办理');
  const steps = (await (await staff.get(`/api/cases/${numbers[1]}/timeline`)).json()).entries.length as number;
  await expect(order2.locator('[data-test=order-log] tr')).toHaveCount(steps);
  await lookAtPage(page, 'console-work-order', { exclude: consoleChrome });
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.el-header')).toBeHidden();
  await expect(page.locator('[data-test=print-now]')).toBeHidden();
  await shot(page, 'console-work-order-print');
  await page.emulateMedia({ media: 'screen' });
  await staff.dispose();
});
