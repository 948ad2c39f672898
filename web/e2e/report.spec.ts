// The resident's 随手拍 on a 360×640 phone without an account: photo, position, two taps, words, send.
import { readFileSync } from 'node:fs';
import { test, expect, request, type APIRequestContext } from '@playwright/test';
import { apiAs, baseURL, caseAs, countCases, demoPlace, fillReport, leaderOf, lookAtPage, photo, phoneContext, shot, unique } from './helpers';

test('an anonymous resident reports with a photo and the grid leader of that grid sees the case', async ({ browser }) => {
  const admin = await apiAs('district'); // a whole-district reader: administrators see no case
  const place = await demoPlace(admin);
  const leader = await leaderOf(admin, place.thirdCode);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();

  await page.goto('/m/report');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');
  await shot(page, 'phone-report-empty');
  // The phone box asks for a number instead of looking like one; staff-only kinds (a sensor gone offline) are not offered.
  await expect(page.locator('[data-test=phone] input')).toHaveAttribute('placeholder', '请输入手机号（选填）');
  await page.getByRole('button', { name: '公用设施' }).click();
  await expect(page.locator('[data-test=minors]')).toContainText('路灯损坏');
  await expect(page.locator('[data-test=minors]')).not.toContainText('感知设备离线');
  await page.getByRole('button', { name: /重选大类/ }).click();
  await lookAtPage(page, 'phone-report-empty');

  const description = unique('路灯不亮，晚上看不清路 e2e-');
  await fillReport(page, description);
  await shot(page, 'phone-report-filled');
  await page.locator('[data-test=submit]').click();

  const number = (await page.locator('[data-test=case-number]').textContent())?.trim() ?? '';
  expect(number).toMatch(/^\d{13}$/);
  // The receipt: the number once, who has it, when it is expected (from the server), what happens next.
  const receipt = page.locator('[data-test=receipt]');
  expect((await receipt.textContent())!.split(number).length - 1).toBe(1);
  await expect(page.locator('[data-test=expected]')).toContainText(/预计 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前处理完毕/);
  await expect(page.locator('[data-test=receipt-owner]')).toContainText('网格长');
  await expect(page.locator('[data-test=next-steps]')).toContainText('撤回');
  await lookAtPage(page, 'phone-report-receipt');

  // The leader of the 3rd-level grid that owns the micro-grid sees it.
  const asLeader = await apiAs(leader);
  const detail = await asLeader.get(`/api/cases/${number}`);
  expect(detail.status()).toBe(200);
  expect((await detail.json()).gridCode.startsWith(place.thirdCode)).toBe(true);

  // My reports: the number is kept with its follow token, progress in plain words.
  await page.goto('/m/mine');
  await expect(page.locator('[data-test=my-reports]')).toContainText(number);
  await shot(page, 'phone-mine');
  await page.getByText(number).click();
  await expect(page.locator('[data-test=status]')).not.toBeEmpty();
  await shot(page, 'phone-track');

  await context.close();
});

test('a report made offline waits in the outbox across a reload and becomes exactly one case', async ({ browser }) => {
  const admin = await apiAs('district'); // a whole-district reader: administrators see no case
  const place = await demoPlace(admin, 140);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();
  await page.goto('/m/report');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');

  const description = unique('离线上报 e2e-');
  await fillReport(page, description);
  await context.setOffline(true);
  await page.locator('[data-test=submit]').click();
  await expect(page.locator('[data-test=queued]')).toBeVisible();
  await shot(page, 'phone-report-queued');

  // Back online, but the first answer is lost on the way back: the server made the case, the phone never heard.
  // Until the test has looked at the queue, any further retry fails too, so what it sees does not depend on timing.
  let lost = 0;
  await page.route('**/api/cases', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    if (lost > 0) return route.abort('internetdisconnected');
    lost++;
    await route.fetch();
    // The reload may have cancelled the request meanwhile (then the route is already done): lost all the same.
    await route.abort('connectionreset').catch(() => undefined);
  });
  await context.setOffline(false);
  await page.reload();
  await expect.poll(() => lost).toBe(1);
  await expect(page.locator('[data-test=queue-count]')).toContainText('1');
  await shot(page, 'phone-report-queued-after-reload');

  // The retry sends the same Idempotency-Key: the server answers with the first case.
  await page.unroute('**/api/cases');
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.locator('[data-test=queue-count]')).toHaveCount(0);
  await page.goto('/m/mine');
  await expect(page.locator('[data-test=my-reports] .van-cell')).not.toHaveCount(0);
  expect(await countCases(admin, description)).toBe(1);
  await shot(page, 'phone-mine-after-offline');
  await context.close();
});

test('the map is loaded only when the reporter opens it, and dragging the pin asks the locator again', async ({ browser }) => {
  const admin = await apiAs('district'); // a whole-district reader: administrators see no case
  const place = await demoPlace(admin, 60);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await page.goto('/m/report');
  await expect(page.locator('[data-test=receiver]')).toContainText('将由');
  expect(scripts.filter((s) => s.includes('MapPicker'))).toHaveLength(0);

  await page.locator('[data-test=open-map]').click();
  const map = page.locator('[data-test=map]');
  await expect(map.locator('canvas')).toBeVisible();
  // Streets under the pin, not a grey box: the demo's own vector base map.
  await expect(map).toHaveAttribute('data-basemap', 'vector', { timeout: 30_000 });
  await expect.poll(async () => Number(await map.getAttribute('data-basemap-roads') ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(scripts.filter((s) => s.includes('MapPicker'))).toHaveLength(1);

  const locate = page.waitForResponse((r) => r.url().includes('/api/geo/locate') && r.url().includes('accuracy=10'));
  const box = (await map.boundingBox())!;
  await map.click({ position: { x: box.width / 2 + 60, y: box.height / 2 } });
  expect((await locate).ok()).toBe(true);
  await shot(page, 'phone-report-map');
  await context.close();
});

/** An anonymous report through the API: its number and follow token. */
async function reportAnonymously(category: string, description: string, place: { lon: number; lat: number }) {
  const anonymous = await request.newContext({ baseURL });
  const response = await anonymous.post('/api/cases', {
    multipart: {
      categoryCode: category, description, lon: String(place.lon), lat: String(place.lat), crs: 'wgs84',
      photos: { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photo) },
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  const body = await response.json();
  await anonymous.dispose();
  return { number: body.number as string, token: body.followToken as string };
}

async function act(api: APIRequestContext, number: string, verb: string, data: Record<string, unknown>) {
  const current = await caseAs(api, number);
  const response = await api.post(`/api/cases/${number}/${verb}`, { data: { expectedVersion: current.version, ...data } });
  expect(response.status(), `${verb}: ${await response.text()}`).toBe(200);
}

test('the reporter adds information, is told when chasing becomes possible, withdraws, and staff see each step', async ({ browser }) => {
  const admin = await apiAs('district');
  const place = await demoPlace(admin, 160);
  const leader = await apiAs(await leaderOf(admin, place.thirdCode));
  const { number, token } = await reportAnonymously('E0101', unique('楼下暴露垃圾 e2e-'), place);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();

  // The follow link (as an SMS would carry it) keeps the token on this phone.
  await page.goto(`/m/mine/${number}#token=${token}`);
  await expect(page.locator('[data-test=status]')).toHaveText('已上报');
  await expect(page.locator('[data-test=steps]')).toContainText('已受理');
  await expect(page.locator('[data-test=expected]')).toContainText('前处理完毕');
  await expect(page.locator('[data-test=chase]')).toBeDisabled();
  await expect(page.locator('[data-test=chase-when]')).toContainText('后可以催办');
  await lookAtPage(page, 'phone-track-reported');

  // 补充
  await page.locator('[data-test=supplement]').click();
  await page.locator('[data-test=supplement-text] textarea').fill('垃圾旁边还有碎玻璃，小心扎手');
  await page.locator('[data-test=supplement-photo]').setInputFiles(photo);
  await lookAtPage(page, 'phone-track-supplement');
  await page.locator('[data-test=supplement-send]').click();
  await expect(page.locator('[data-test=timeline]')).toContainText('您补充了情况说明和 1 张照片。');

  // 撤回, with a reason chosen rather than typed.
  await page.locator('[data-test=withdraw]').click();
  await page.getByRole('button', { name: '问题已经解决了' }).click();
  await lookAtPage(page, 'phone-track-withdraw');
  await page.locator('[data-test=withdraw-send]').click();
  await expect(page.locator('[data-test=status]')).toHaveText('已撤回');
  await expect(page.locator('[data-test=timeline]')).toContainText('您已撤回反映的问题。原因：问题已经解决了');
  await expect(page.locator('[data-test=actions]')).toHaveCount(0);
  await lookAtPage(page, 'phone-track-withdrawn');

  // Staff read both steps, with the reporter's words, in the case's timeline; the case is out of their queue.
  const detail = await caseAs(leader, number);
  expect(detail.status).toBe('withdrawn');
  const timeline = await (await leader.get(`/api/cases/${number}/timeline`)).json();
  const steps = timeline.entries.map((e: { action: string; note: string | null }) => [e.action, e.note]);
  expect(steps).toContainEqual(['supplement', '垃圾旁边还有碎玻璃，小心扎手']);
  expect(steps).toContainEqual(['withdraw', '问题已经解决了']);
  await context.close();
});

test('the reporter sees the result with the reply and photo, confirms it, and rates it with a comment staff read', async ({ browser }) => {
  const admin = await apiAs('district');
  const place = await demoPlace(admin, 180);
  const leaderName = await leaderOf(admin, place.thirdCode);
  const leader = await apiAs(leaderName);
  const { number, token } = await reportAnonymously('C0102', unique('路灯不亮 结果 e2e-'), place);
  const leaderId = (await (await admin.get(`/api/users?role=grid-leader&scopeCode=${place.thirdCode}`)).json())
    .find((u: { userName: string }) => u.userName === leaderName).id;
  await act(leader, number, 'accept', {});
  await act(leader, number, 'assign', { userId: leaderId });
  await act(leader, number, 'start-handling', {});
  const photos = await (await leader.post(`/api/cases/${number}/photos`, {
    multipart: { photos: { name: 'after.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photo) } },
  })).json();
  await act(leader, number, 'record-handled', { note: '已更换路灯灯泡，晚上已恢复照明。', photoIds: [photos[0].id] });

  const context = await phoneContext(browser, place);
  const page = await context.newPage();
  await page.goto(`/m/mine/${number}#token=${token}`);
  await expect(page.locator('[data-test=reply]')).toHaveText('已更换路灯灯泡，晚上已恢复照明。');
  await expect(page.locator('[data-test=result]')).toContainText('处理单位：网格长');
  await expect(page.locator('[data-test=result-photos] img[src^="blob:"]')).toHaveCount(1);
  await lookAtPage(page, 'phone-track-result');
  await page.locator('[data-test=solved]').click();
  await expect(page.locator('.van-rate')).toBeVisible();
  await page.locator('.van-rate__item').nth(3).click();
  await page.locator('[data-test=rating-comment] textarea').fill('修得很快，谢谢');
  await lookAtPage(page, 'phone-track-rating');
  await page.locator('[data-test=rate]').click();
  await expect(page.locator('[data-test=my-comment]')).toHaveText('您的评价：修得很快，谢谢');
  await expect(page.getByText('您的评分：4 星')).toBeVisible();

  const rated = await caseAs(leader, number);
  expect(rated.status).toBe('evaluated');
  expect(rated.evaluationComment).toBe('修得很快，谢谢');
  await context.close();
});

test('reports near me show a public report on the map and in the list, never a sensitive one', async ({ browser }) => {
  const admin = await apiAs('district');
  const place = await demoPlace(admin, 200);
  await reportAnonymously('C0102', unique('路灯不亮 附近 e2e-'), place);
  await reportAnonymously('C0102', unique('路灯又不亮了 附近 e2e-'), place);
  await reportAnonymously('G0201', unique('独居老人需要帮扶 e2e-'), place);
  const context = await phoneContext(browser, place);
  const page = await context.newPage();

  await page.goto('/m/report');
  await page.locator('[data-test=nearby-link]').click();
  await expect(page).toHaveURL(/\/m\/nearby$/);
  const list = page.locator('[data-test=nearby-list]');
  await expect(list).toContainText('路灯损坏');
  await expect(list).toContainText('50 米内');
  await expect(list).not.toContainText('老人帮扶');
  const map = page.locator('[data-test=nearby-map]');
  await expect(map).toHaveAttribute('data-basemap', 'vector', { timeout: 30_000 });
  // The two reports at the same place are one circle with their number, not two dots on top of each other.
  await expect.poll(async () => Number(await map.getAttribute('data-clusters') ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
  expect(Number(await map.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
  await lookAtPage(page, 'phone-nearby');
  await context.close();
});

test('a resident switches to elder mode: larger text on every page, remembered on the phone', async ({ browser }) => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto('/m/report');
  await page.locator('[data-test=elder-switch]').click();
  await expect(page.locator('[data-test=elder-switch]')).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('html')).toHaveClass(/elder/);
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/elder/);
  const size = await page.locator('body').evaluate((b) => parseFloat(getComputedStyle(b).fontSize));
  expect(size).toBeGreaterThanOrEqual(20);
  await lookAtPage(page, 'phone-report-elder');
  await page.goto('/m/mine');
  await expect(page.locator('html')).toHaveClass(/elder/);
  await lookAtPage(page, 'phone-mine-elder');
  await context.close();
});
