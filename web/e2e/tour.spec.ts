// Every page a person can open, as the person who opens it: the console's pages as the operations centre, community
// staff and the three administrators; the phone pages as a resident, a grid worker, a grid leader and someone not signed
// in; the big screen as the duty officer. Each page at 1440×900 and 360×640: a screenshot of each (artifacts/screenshots/
// tour-<page>-desktop|phone.png) and axe-core's accessibility check with no serious or critical finding (lookAtPage).
import { test, expect, type Page, type APIRequestContext } from '@playwright/test';
import { apiAs, elderRuleBreaks, lookAtPage, seriousA11yViolations, shot, signInOnPhone, viewports } from './helpers';
import { signIn } from './console-helpers';

/** Waits until the page has drawn its data: the route's chunk loaded, no loading mask or skeleton left. */
async function settled(page: Page) {
  await page.waitForLoadState('load');
  await expect(page.locator('.el-loading-mask:visible, .van-loading:visible, .van-skeleton:visible')).toHaveCount(0, { timeout: 45_000 });
  await page.waitForTimeout(300);
}

/**
 * Opens a page and looks at it (lookAtPage). A phone page (`phone`) is also held to the phone pages' own rules at 360×640:
 * every tapped control at least 48 px each way, and, with `minText`, no visible text under it (elderRuleBreaks).
 */
async function visit(page: Page, path: string, name: string, phone?: { minText?: number }) {
  await page.goto(path);
  await settled(page);
  expect(new URL(page.url()).pathname, `${path} stayed where it was asked to go`).toBe(path.split('?')[0]!.split('#')[0]);
  await lookAtPage(page, `tour-${name}`);
  if (phone) await expectPhoneRules(page, name, phone);
}

async function expectPhoneRules(page: Page, name: string, rules: { minText?: number }) {
  const before = page.viewportSize();
  await page.setViewportSize(viewports.phone);
  await page.waitForTimeout(150);
  expect.soft(await elderRuleBreaks(page, rules), `the phone pages' rules (48 px targets${rules.minText ? `, ${rules.minText} px text` : ''}) on ${name}`).toEqual([]);
  if (before) await page.setViewportSize(before);
}

/**
 * A page in elder-friendly mode, looked at on the phone only (its users' size): a screenshot (tour-elder-<name>-phone.png),
 * axe in the mode's own colours, and the mode's rules: 48 px targets, nothing under 18 px.
 */
async function visitElder(page: Page, path: string, name: string) {
  await page.goto(path);
  await settled(page);
  await expect(page.locator('html')).toHaveClass(/elder/);
  await shot(page, `tour-elder-${name}-phone`);
  expect.soft(await seriousA11yViolations(page, `tour-elder-${name}-phone`), `serious accessibility violations on elder ${name}`).toEqual([]);
  expect.soft(await elderRuleBreaks(page, { minText: 18 }), `elder-friendly rules on ${name}`).toEqual([]);
}

async function firstId(api: APIRequestContext, url: string, pick: (body: unknown) => string | undefined): Promise<string> {
  const response = await api.get(url);
  expect(response.ok(), `${url}: ${response.status()}`).toBe(true);
  const id = pick(await response.json());
  expect(id, `${url} has something to open`).toBeTruthy();
  return id!;
}

type Items<T> = { items: T[] } | T[];
const itemsOf = <T>(body: unknown): T[] => (Array.isArray(body) ? (body as T[]) : ((body as Items<T> & { items: T[] }).items ?? []));

test('the accessibility check itself finds a nameless button and grey text, and leaves out only what it is told to', async ({ page }) => {
  await page.goto('/login');
  await settled(page);
  expect(await seriousA11yViolations(page, 'self-check-clean')).toEqual([]);
  await page.evaluate(() => {
    const form = document.querySelector('main, form, body')!;
    const button = document.createElement('button');
    button.innerHTML = '<span></span>';
    const grey = document.createElement('p');
    grey.className = 'grey';
    grey.textContent = '浅灰色的字';
    grey.style.cssText = 'color:#ddd;background:#fff';
    form.prepend(button, grey);
  });
  const found = await seriousA11yViolations(page, 'self-check-broken');
  expect(found.some((v) => v.startsWith('button-name (critical)'))).toBe(true);
  expect(found.some((v) => v.startsWith('color-contrast (serious)'))).toBe(true);
  const excluded = await seriousA11yViolations(page, 'self-check-excluded', ['p.grey']);
  expect(excluded.some((v) => v.startsWith('color-contrast'))).toBe(false);
  expect(excluded.some((v) => v.startsWith('button-name'))).toBe(true);
});

test('the operations centre console, page by page', async ({ page }) => {
  test.setTimeout(600_000);
  const ops = await apiAs('ops');
  const caseNumber = await firstId(ops, '/api/cases?pageSize=1&sort=newest', (b) => itemsOf<{ number: string }>(b)[0]?.number);
  // A closed case too: its photos (before and after handling), the result and the rating are on the page.
  const closedCase = await firstId(ops, '/api/cases?pageSize=1&sort=newest&status=closed', (b) => itemsOf<{ number: string }>(b)[0]?.number);
  const runId = await firstId(ops, '/api/assessment/runs', (b) => itemsOf<{ id: string }>(b)[0]?.id);
  await signIn(page, 'ops');
  const pages: [string, string][] = [
    ['/', 'home'], ['/queues/to-accept', 'queue-to-accept'], ['/queues/overdue', 'queue-overdue'], ['/cases', 'search'],
    [`/cases/${caseNumber}`, 'case'], [`/cases/${closedCase}`, 'case-closed'], ['/map', 'map'], ['/entry', 'entry'], ['/meetings', 'meetings'], ['/duty', 'duty'],
    ['/statistics', 'statistics'], ['/broadcasts', 'broadcasts'], ['/devices', 'devices'], ['/hotline', 'hotline'],
    ['/district', 'district'], ['/households', 'households'], ['/grid-affairs', 'grid-affairs'], ['/briefings', 'briefings'],
    ['/organisations', 'organisations-ops'], ['/categories', 'categories-ops'], ['/roster', 'roster'], ['/training', 'training'],
    ['/patrols', 'patrols'], ['/assessment', 'assessment'], ['/assessment/catalogue', 'assessment-catalogue'],
    ['/assessment/appeals', 'assessment-appeals'], ['/assessment/awards', 'assessment-awards'], [`/assessment/runs/${runId}`, 'assessment-run'],
    ['/council', 'council'], ['/branch-activities', 'branch-activities'], ['/notifications', 'notifications'],
    ['/account/password', 'password'], ['/account/security', 'account-security'],
  ];
  for (const [path, name] of pages) await test.step(path, () => visit(page, path, name));
  await ops.dispose();
});

test('community staff pages: volunteers, work IDs, a patrol', async ({ page }) => {
  test.setTimeout(300_000);
  const community = await apiAs('community01');
  const leader = await apiAs('leader01');
  const patrolId = await firstId(leader, '/api/patrols/mine', (b) => itemsOf<{ id: string }>(b)[0]?.id);
  await signIn(page, 'community01');
  for (const [path, name] of [['/users', 'volunteer-accounts'], ['/volunteers', 'volunteer-sign-in'], [`/patrols/${patrolId}`, 'patrol']] as const) {
    await test.step(path, () => visit(page, path, name));
  }
  // A work ID's printable card, opened from the training page's list as staff do.
  await page.goto('/training');
  await settled(page);
  const print = page.locator('[data-test=print]').first();
  if (await print.count()) {
    await print.click();
    await expect(page).toHaveURL(/\/training\/cards\//);
    await settled(page);
    await lookAtPage(page, 'tour-work-id-card');
  }
  await Promise.all([community.dispose(), leader.dispose()]);
});

test('the administrators’ pages', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await signIn(page, 'admin');
  for (const [path, name] of [['/organisations', 'organisations'], ['/grids/import', 'grid-import'], ['/categories', 'categories'], ['/devices', 'devices-admin'], ['/hotline', 'hotline-admin']] as const) {
    await test.step(path, () => visit(page, path, name));
  }
  for (const [user, path, name] of [['secadmin', '/users', 'users'], ['auditor', '/security-events', 'security-events']] as const) {
    const context = await browser.newContext();
    const other = await context.newPage();
    await signIn(other, user);
    await test.step(path, () => visit(other, path, name));
    await context.close();
  }
});

test('the console’s sign-in page and the big screen', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await visit(page, '/login', 'login');
  const context = await browser.newContext();
  const duty = await context.newPage();
  await signIn(duty, 'ops');
  await duty.goto('/screen/');
  await settled(duty);
  await lookAtPage(duty, 'tour-screen');
  await context.close();
});

test('the phone pages of someone not signed in and of a resident', async ({ page }) => {
  test.setTimeout(300_000);
  for (const [path, name] of [['/m/report', 'm-report'], ['/m/login', 'm-login'], ['/m/council', 'm-council'], ['/m/nearby', 'm-nearby']] as const) {
    await test.step(path, () => visit(page, path, name, {}));
  }
  const resident = await apiAs('resident001');
  const mine = await firstId(resident, '/api/cases?pageSize=1&sort=newest', (b) => itemsOf<{ number: string }>(b)[0]?.number);
  await signInOnPhone(page, 'resident001', /\/m\/mine$/);
  for (const [path, name] of [['/m/mine', 'm-mine'], [`/m/mine/${mine}`, 'm-track'], ['/m/messages', 'm-messages'], ['/m/messages/settings', 'm-message-settings'], ['/m/password', 'm-password']] as const) {
    await test.step(path, () => visit(page, path, name, {}));
  }
  await resident.dispose();
});

test('the phone pages of a grid worker and a grid leader', async ({ page, browser }) => {
  test.setTimeout(400_000);
  await signInOnPhone(page, 'worker01', /\/m\/tasks$/);
  for (const [path, name] of [
    ['/m/tasks', 'm-tasks'], ['/m/quick-report', 'm-quick-report'], ['/m/patrols', 'm-patrols'], ['/m/briefings', 'm-briefings'],
    ['/m/broadcasts', 'm-broadcasts'], ['/m/visit', 'm-visit'], ['/m/needs', 'm-needs'], ['/m/workid', 'm-workid'], ['/m/stars', 'm-stars'],
  ] as const) {
    await test.step(path, () => visit(page, path, name, {}));
  }
  // A task and a briefing of the worker's.
  const worker = await apiAs('worker01');
  const task = await firstId(worker, '/api/cases?open=true&sort=due&pageSize=1', (b) => itemsOf<{ number: string }>(b)[0]?.number);
  await visit(page, `/m/tasks/${task}`, 'm-task', {});
  const briefings = itemsOf<{ id: string }>(await (await worker.get('/api/briefings/inbox')).json());
  if (briefings[0]) await visit(page, `/m/briefings/${briefings[0].id}`, 'm-briefing', {});
  await worker.dispose();
  const context = await browser.newContext();
  const leader = await context.newPage();
  await signInOnPhone(leader, 'leader01', /\/m\/tasks$/);
  await visit(leader, '/m/tasks', 'm-tasks-leader', {});
  await context.close();
});

test('elder-friendly mode: a micro-grid volunteer’s pages and a resident’s, nothing under 18 px, every target 48 px', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await page.setViewportSize(viewports.phone);
  // A micro-grid worker gets the mode by default on a phone that has no choice yet.
  await signInOnPhone(page, 'micro01', /\/m\/tasks$/);
  await expect(page.locator('html')).toHaveClass(/elder/);
  for (const [path, name] of [
    ['/m/tasks', 'tasks'], ['/m/quick-report', 'quick-report'], ['/m/patrols', 'patrols'], ['/m/briefings', 'briefings'], ['/m/broadcasts', 'broadcasts'],
    ['/m/visit', 'visit'], ['/m/needs', 'needs'], ['/m/workid', 'workid'], ['/m/stars', 'stars'], ['/m/messages', 'messages'], ['/m/messages/settings', 'message-settings'],
  ] as const) {
    await test.step(path, () => visitElder(page, path, name));
  }
  // A resident switches it on with the switch above the report page.
  const context = await browser.newContext({ viewport: viewports.phone });
  const resident = await context.newPage();
  await signInOnPhone(resident, 'resident001', /\/m\/mine$/);
  await resident.goto('/m/report');
  await resident.locator('[data-test=elder-switch]').click();
  await expect(resident.locator('[data-test=elder-switch]')).toHaveAttribute('aria-checked', 'true');
  const api = await apiAs('resident001');
  const mine = await firstId(api, '/api/cases?pageSize=1&sort=newest', (b) => itemsOf<{ number: string }>(b)[0]?.number);
  for (const [path, name] of [['/m/report', 'report'], ['/m/mine', 'mine'], [`/m/mine/${mine}`, 'track'], ['/m/nearby', 'nearby'], ['/m/council', 'council']] as const) {
    await test.step(path, () => visitElder(resident, path, name));
  }
  await Promise.all([api.dispose(), context.close()]);
});
