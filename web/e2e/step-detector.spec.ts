// The phone's step counting during a patrol. First the detector itself (src/phone/patrol/stepDetector.ts, no browser
// needed) on synthetic accelerometer series: a steady walk, a slow walk, pauses, a phone picked up, shaking and noise.
// Then the patrol page in Chromium with synthetic devicemotion events: the count is shown, sent with the points, and the
// ended patrol's steps come from the phone.
import { test, expect } from '@playwright/test';
import { StepDetector } from '../src/phone/patrol/stepDetector';
import { apiAs, demoPlace, phoneContext, shot, signInOnPhone, userOf } from './helpers';

const G = 9.81;
const RATE = 50; // samples per second, as phones deliver devicemotion

/** Feeds a series: for each sample time t (ms), the acceleration including gravity (x, y, z), with a repeatable noise. */
function run(seconds: number, z: (t: number) => number, detector = new StepDetector(), start = 0, noise = 0.15): StepDetector {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2 * noise;
  for (let i = 0; i < seconds * RATE; i++) {
    const t = start + (i * 1000) / RATE;
    detector.add(t, 0.3 + random(), 0.8 + random(), z(t) + random());
  }
  return detector;
}

/** A walk at `hz` steps a second: a bump of `amplitude` m/s² per step on top of gravity. */
const walking = (hz: number, amplitude = 3) => (t: number) => G + amplitude * Math.sin((2 * Math.PI * hz * t) / 1000);

test.describe('step detector', () => {
  test('a steady walk of 20 s at 1.8 steps a second counts 36 steps', () => {
    expect(Math.abs(run(20, walking(1.8)).steps - 36)).toBeLessThanOrEqual(1);
  });

  test('a slow walk (an elderly volunteer, one step a second) is counted', () => {
    expect(Math.abs(run(30, walking(1, 2.2)).steps - 30)).toBeLessThanOrEqual(1);
  });

  test('a phone lying still, or only trembling, counts nothing', () => {
    expect(run(30, () => G, undefined, 0, 0.6).steps).toBe(0);
  });

  test('three bumps (a phone picked up) are not a walk; the fourth confirms it and all four count', () => {
    const bumps = (n: number) => (t: number) => (t < n * 500 ? walking(2)(t) : G);
    expect(run(5, bumps(3)).steps).toBe(0);
    expect(run(5, bumps(4)).steps).toBe(4);
  });

  test('shaking faster than four times a second counts nothing', () => {
    expect(run(10, walking(6, 5)).steps).toBe(0);
  });

  test('after a pause the walk is confirmed again and counted whole, added to the count so far', () => {
    const detector = run(10, walking(1.5), new StepDetector(100));
    const first = detector.steps;
    expect(Math.abs(first - 115)).toBeLessThanOrEqual(1);
    run(5, () => G, detector, 10_000);
    run(10, walking(1.5), detector, 15_000);
    expect(Math.abs(detector.steps - first - 15)).toBeLessThanOrEqual(1);
  });

  test('samples without a number are ignored', () => {
    const detector = new StepDetector();
    expect(detector.add(0, Number.NaN, 0, G)).toBe(false);
    expect(detector.steps).toBe(0);
  });
});

test('the patrol page counts steps from the phone\'s motion sensor and sends them with the track', async ({ browser }) => {
  const district = await apiAs('district');
  const worker = await userOf(district, 'micro-grid-worker', '');
  const place = await demoPlace(district, 0, worker.scopeCode);
  const context = await phoneContext(browser, place);
  const phone = await context.newPage();
  await signInOnPhone(phone, worker.userName, /\/m\/tasks$/);
  await phone.goto('/m/patrols');
  await phone.locator('[data-test=patrol-start]').or(phone.locator('[data-test=patrol-end]')).first().waitFor();
  if (await phone.locator('[data-test=patrol-end]').isVisible()) {
    await phone.locator('[data-test=patrol-end]').click();
    await expect(phone.locator('[data-test=patrol-start]')).toBeVisible();
  }
  await phone.locator('[data-test=patrol-start]').click();
  await expect(phone.locator('[data-test=patrol-open]')).toBeVisible();

  // Four seconds of walking at two steps a second, as the sensor reports it (50 events a second).
  await phone.evaluate(async () => {
    const started = performance.now();
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        const t = performance.now() - started;
        if (t > 4000) {
          clearInterval(timer);
          done();
          return;
        }
        const z = 9.81 + 3 * Math.sin((2 * Math.PI * 2 * t) / 1000);
        window.dispatchEvent(new DeviceMotionEvent('devicemotion', { accelerationIncludingGravity: { x: 0.2, y: 0.5, z }, interval: 20 }));
      }, 20);
    });
  });
  const counted = phone.locator('[data-test=patrol-phone-steps]');
  await expect(counted).toBeVisible();
  const steps = Number(await counted.getAttribute('data-steps'));
  expect(steps).toBeGreaterThanOrEqual(5);
  expect(steps).toBeLessThanOrEqual(9);
  await expect(phone.locator('[data-test=patrol-steps-source]')).toHaveAttribute('data-source', 'phone');
  await shot(phone, 'phone-patrol-phone-steps');

  for (let i = 1; i <= 3; i++) {
    await context.setGeolocation({ longitude: place.lon, latitude: place.lat + i * 0.00001, accuracy: 8 });
    await phone.waitForTimeout(800);
  }
  await phone.locator('[data-test=patrol-end]').click();
  await expect(phone.locator('[data-test=patrol-start]')).toBeVisible();

  const mine = (await (await (await apiAs(worker.userName)).get('/api/patrols/mine')).json()) as { steps: number; stepsFromPhone: boolean; pointCount: number }[];
  expect(mine[0]!.pointCount).toBeGreaterThanOrEqual(1);
  expect(mine[0]!.stepsFromPhone).toBe(true);
  expect(mine[0]!.steps).toBe(steps);
  await expect(phone.locator('[data-test=patrol-steps-source]')).toHaveAttribute('data-source', 'phone');
  await context.close();
});
