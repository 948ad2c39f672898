// The report outbox: every report goes into IndexedDB first, with its Idempotency-Key, and is sent from there.
// It survives reloads and dropped networks; a retry sends the same key, so the server answers with the first
// case instead of making a second one (also when the first answer was lost on the way back).
import { computed, ref, watch } from 'vue';
import type { Schemas } from '@/api/client';
import { remember } from './myReports';

export interface ReportFields {
  categoryCode: string;
  description: string;
  lon: number;
  lat: number;
  crs: 'wgs84' | 'gcj02';
  accuracy?: number;
  phone?: string;
}

export interface OutboxItem {
  key: string;
  fields: ReportFields;
  photos: Blob[];
  createdAt: string;
  attempts: number;
  /** Set when the server refused the report for good (4xx other than 408/409/429): shown, not retried. */
  refused?: string;
}

export type IntakeResponse = Schemas['IntakeResponse'];

const DB = 'civicgrid-outbox';
const STORE = 'reports';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export const pending = ref<OutboxItem[]>([]);

export async function list(): Promise<OutboxItem[]> {
  const items = await run('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>);
  items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  pending.value = items;
  return items;
}

/** A random key; crypto.randomUUID needs a secure context, which a phone on http://192.168… is not. */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export async function enqueue(fields: ReportFields, photos: Blob[]): Promise<OutboxItem> {
  const item: OutboxItem = { key: newKey(), fields, photos, createdAt: new Date().toISOString(), attempts: 0 };
  await run('readwrite', (s) => s.put(item));
  await list();
  return item;
}

export async function discard(key: string) {
  await run('readwrite', (s) => s.delete(key));
  await list();
}

export type SendOutcome =
  | { kind: 'sent'; result: IntakeResponse }
  | { kind: 'waiting' }
  | { kind: 'refused'; reason: string };

/** Sends one item; keeps it on any doubt (no network, 5xx, 409 in progress, 429). */
export async function send(item: OutboxItem): Promise<SendOutcome> {
  const form = new FormData();
  const f = item.fields;
  form.set('categoryCode', f.categoryCode);
  form.set('description', f.description);
  form.set('lon', String(f.lon));
  form.set('lat', String(f.lat));
  form.set('crs', f.crs);
  if (f.accuracy != null) form.set('accuracy', String(Math.round(f.accuracy)));
  if (f.phone) form.set('phone', f.phone);
  item.photos.forEach((p, i) => form.append('photos', p, `photo-${i + 1}.jpg`));

  let response: Response;
  try {
    // Multipart is sent with fetch directly: the typed client's JSON body handling does not fit a FormData upload.
    response = await fetch('/api/cases', {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { 'Idempotency-Key': item.key, Accept: 'application/json' },
    });
  } catch {
    await run('readwrite', (s) => s.put({ ...item, attempts: item.attempts + 1 }));
    return { kind: 'waiting' };
  }

  if (response.ok) {
    const result = (await response.json()) as IntakeResponse;
    remember({ number: result.number, followToken: result.followToken ?? undefined, categoryName: result.categoryName, reportedAt: item.createdAt, message: result.message });
    await run('readwrite', (s) => s.delete(item.key));
    return { kind: 'sent', result };
  }

  if (response.status >= 500 || [408, 409, 429].includes(response.status)) {
    await run('readwrite', (s) => s.put({ ...item, attempts: item.attempts + 1 }));
    return { kind: 'waiting' };
  }

  let reason = `HTTP ${response.status}`;
  try {
    const problem = await response.json();
    reason = (problem.errors && (Object.values(problem.errors)[0] as string[])?.[0]) || problem.detail || reason;
  } catch {
    /* not JSON */
  }
  await run('readwrite', (s) => s.put({ ...item, attempts: item.attempts + 1, refused: reason }));
  return { kind: 'refused', reason };
}

let flushing: Promise<void> | null = null;
/** The answers of this page's session by Idempotency-Key, so the page that queued a report shows its receipt. */
export const sentResults = ref<Record<string, IntakeResponse>>({});

/** Sends every waiting item once, one at a time; concurrent calls share the run. */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      for (const item of await list()) {
        if (item.refused) continue;
        const outcome = await send(item);
        if (outcome.kind === 'sent') sentResults.value = { ...sentResults.value, [item.key]: outcome.result };
        if (outcome.kind === 'waiting') break; // the network is still down: try again on the next 'online'
      }
    } finally {
      await list().catch(() => undefined);
      flushing = null;
    }
  })();
  return flushing;
}

/** Retries when the phone comes back online, when the page is shown again and every 30 s while items wait. */
export function startOutbox() {
  window.addEventListener('online', () => void flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void flush();
  });
  setInterval(() => {
    if (pending.value.some((i) => !i.refused) && navigator.onLine) void flush();
  }, 30_000);
  void flush();
}

/**
 * One page's report on its way: queue it, then follow it — the receipt once it is sent (now, or later when the
 * network is back), the reason when the server refused it for good, or "waiting for the network" meanwhile.
 */
export function useQueuedReport() {
  const queuedKey = ref<string | null>(null);
  const result = ref<IntakeResponse | null>(null);
  const refusal = ref<string | null>(null);

  function follow() {
    const key = queuedKey.value;
    if (!key) return;
    const sent = sentResults.value[key];
    if (sent) {
      result.value = sent;
      queuedKey.value = null;
      return;
    }
    refusal.value = pending.value.find((i) => i.key === key)?.refused ?? null;
  }
  watch(sentResults, follow, { deep: true });

  const isQueued = computed(() => !!queuedKey.value && pending.value.some((i) => i.key === queuedKey.value && !i.refused));

  async function submit(fields: ReportFields, photos: Blob[]) {
    refusal.value = null;
    queuedKey.value = (await enqueue(fields, photos)).key;
    await flush();
    follow();
  }

  function reset() {
    result.value = null;
    queuedKey.value = null;
    refusal.value = null;
  }

  return { result, refusal, isQueued, submit, reset };
}
