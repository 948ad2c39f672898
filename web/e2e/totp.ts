// An authenticator app in the tests: RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits) with node's crypto, from the base32
// key the enrolment page shows for typing by hand.
import { createHmac } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

export function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((b) => parseInt(b, 2)));
}

/** The 6-digit TOTP code of a 30 s step (RFC 6238, HMAC-SHA1). */
export function totp(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', secret).update(counter).digest();
  const offset = hash[hash.length - 1]! & 0x0f;
  const value = (hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

export const stepNow = () => Math.floor(Date.now() / 30_000);

/**
 * The enrolment panel on the page (at the first sign-in or on the account page): reads the key shown for typing by hand,
 * answers with the current code, checks the ten recovery codes and confirms they were saved. Returns the key and the step
 * used (a code works once: the next sign-in needs a later step).
 */
export async function enrolAuthenticator(page: Page, screenshot?: (name: string) => Promise<void>): Promise<{ secret: Buffer; step: number }> {
  await expect(page.locator('[data-test=enrol-qr]')).toBeVisible();
  const secret = base32((await page.locator('[data-test=enrol-secret]').textContent())!);
  if (screenshot) await screenshot('enrol');
  const step = stepNow();
  await page.locator('[data-test=enrol-code]').fill(totp(secret, step));
  await page.locator('[data-test=enrol-confirm]').click();
  await expect(page.locator('[data-test=recovery-code]')).toHaveCount(10);
  const recovery = (await page.locator('[data-test=recovery-code]').allTextContents()).map((c) => c.trim());
  expect(recovery.every((c) => /^[A-Z2-9]{5}-[A-Z2-9]{5}$/.test(c))).toBe(true);
  await expect(page.locator('[data-test=codes-continue]')).toBeDisabled();
  if (screenshot) await screenshot('recovery-codes');
  await page.locator('[data-test=codes-saved]').click();
  await page.locator('[data-test=codes-continue]').click();
  return { secret, step };
}
