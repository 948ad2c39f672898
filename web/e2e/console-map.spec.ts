// The map budget: every grid of the scope and more than 10,000 case points (clustered by MapLibre in its worker) are on
// the map — counted from what the map holds, not from what was asked for — without freezing the page: long tasks are
// measured with a PerformanceObserver from the first script on, a click on the grid tree must answer, and the event
// loop must stay free while the map zooms in and out. The figures are logged and attached to the test's result.
import { test, expect } from '@playwright/test';
import { apiAs, shot } from './helpers';
import { signIn } from './console-helpers';

test.use({ viewport: { width: 1440, height: 900 } });

declare global {
  interface Window { longTasks: { start: number; duration: number }[] }
}

test('the map shows every grid and 10,000+ clustered points and stays responsive', async ({ page }) => {
  const district = await apiAs('district');
  const expectedPoints = ((await (await district.get('/api/cases/points')).json()).features as unknown[]).length;
  let expectedGrids = 0;
  for (const level of ['community', 'grid-3', 'micro']) {
    expectedGrids += ((await (await district.get(`/api/geo/grids?level=${level}`)).json()).features as unknown[]).length;
  }
  expect(expectedPoints).toBeGreaterThanOrEqual(10_000);

  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await signIn(page, 'district');
  const opened = await page.evaluate(() => performance.now());
  await page.locator('[data-test=menu-map]').click();

  const count = page.locator('[data-test=point-count]');
  await expect(count).toHaveAttribute('data-count', String(expectedPoints), { timeout: 60_000 });
  await expect(page.locator('[data-test=map]')).toHaveAttribute('data-loaded', 'true', { timeout: 60_000 });
  await expect(page.locator('[data-test=map]')).toHaveAttribute('data-grids', String(expectedGrids));
  // The clusters in view hold the points: the whole scope is in view, so all of them.
  const rendered = Number(await count.getAttribute('data-rendered'));
  expect(rendered).toBeGreaterThanOrEqual(10_000);
  expect(rendered).toBeLessThanOrEqual(expectedPoints);
  const loadedAt = await page.evaluate(() => performance.now());
  await shot(page, 'console-map');

  // The legend says what the colours and circles mean; the hot spots are named (no codes), the busiest first; the tree
  // opens below the district; the heat map shows where cases gather.
  const legend = page.locator('[data-test=map-legend]');
  for (const text of ['绿·网格办理', '黄·社区联调', '蓝·街道会商', '红·区级移交', '≥ 300', '≥ 150']) await expect(legend).toContainText(text);
  const hot = page.locator('[data-test=hotspot]');
  await expect(hot.first()).toBeVisible();
  const labels = await hot.allInnerTexts();
  expect(labels.some((l) => /\d{9,}/.test(l)), labels.join(' ')).toBe(false);
  const opens = labels.map((l) => Number(/在办 (\d+) 件/.exec(l)![1]));
  expect(opens).toEqual([...opens].sort((a, b) => b - a));
  expect(await page.locator('[data-test=grid-tree] .el-tree-node.is-expanded').count()).toBeGreaterThan(0);
  await page.locator('[data-test=show-heat]').click();
  await expect(page.locator('[data-test=map]')).toHaveAttribute('data-heat', 'visible');
  await shot(page, 'console-map-heat');

  // A click on the tree answers at once: from the click to the next frame with the grid marked, timed in the page.
  const clickMs = await page.evaluate(() => new Promise<number>((resolve) => {
    const tree = document.querySelector('[data-test=grid-tree]')!;
    const start = performance.now();
    const marked = new MutationObserver(() => {
      if (!tree.querySelector('.el-tree-node.is-current')) return;
      marked.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    marked.observe(tree, { subtree: true, attributes: true, attributeFilter: ['class'] });
    (tree.querySelector('.el-tree-node__content') as HTMLElement).click();
  }));
  await expect(page.locator('[data-test=grid-tree] .el-tree-node.is-current')).toHaveCount(1);

  // Zooming in and out re-clusters 10,000+ points; the event loop must stay free meanwhile.
  const map = page.locator('[data-test=map] canvas');
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const lag = page.evaluate(() => new Promise<number>((resolve) => {
    let worst = 0;
    let last = performance.now();
    const started = last;
    const tick = () => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      if (now - started < 3000) setTimeout(tick, 10);
      else resolve(worst);
    };
    setTimeout(tick, 10);
  }));
  for (let i = 0; i < 4; i++) {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(250);
  }
  for (let i = 0; i < 4; i++) {
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(250);
  }
  const worstLagMs = await lag;
  await shot(page, 'console-map-zoomed');

  const tasks = await page.evaluate(() => window.longTasks);
  const duringLoad = tasks.filter((t) => t.start >= opened && t.start <= loadedAt);
  const afterLoad = tasks.filter((t) => t.start > loadedAt);
  const longest = Math.max(0, ...duringLoad.map((t) => t.duration));
  const longestAfter = Math.max(0, ...afterLoad.map((t) => t.duration));
  const summary = { points: expectedPoints, rendered, grids: expectedGrids, loadMs: Math.round(loadedAt - opened), longTasksDuringLoad: duringLoad.length,
    longestDuringLoadMs: Math.round(longest), longestAfterLoadMs: Math.round(longestAfter), clickMs, worstLagMs: Math.round(worstLagMs) };
  console.log('map budget', JSON.stringify(summary));
  test.info().annotations.push({ type: 'map budget', description: JSON.stringify(summary) });

  // On this 2-core machine with nothing else running (11:13 UTC): 12,401 points and 1,458 grids, longest task 554 ms while
  // loading and 262 ms after, a tree click answered in 9 ms, the event loop's worst gap while zooming 344 ms. The limits
  // keep about three times that as headroom for a busier CI runner; what must not happen is a freeze of seconds. (With
  // four other builds running, load average 20, the same page measured 2.1 s and 2.0 s.)
  expect(clickMs).toBeLessThan(500);
  expect(longest).toBeLessThan(1500);
  expect(longestAfter).toBeLessThan(1000);
  expect(worstLagMs).toBeLessThan(1200);
  await district.dispose();
});
