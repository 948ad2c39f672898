// The track outbox of a patrol: positions are gathered into batches (every 10 points or 30 s online; offline, 100 points,
// so a backlog arrives in few requests when the signal is back), each batch gets its id
// and waits in localStorage until the server has it. A batch sent twice (the answer lost on the way back) is stored once
// by the server, so the queue can always retry; a patrol walked without signal arrives complete when the phone is back.
import { ref } from 'vue';
import { api, problemText, type Schemas } from '@/api/client';
import { newKey } from '../report/outbox';

export type TrackPoint = Schemas['TrackPointRequest'];

export interface QueuedBatch {
  patrolId: string;
  batchId: string;
  points: TrackPoint[];
}

const KEY = 'civicgrid.patrol.batches';
export const BATCH_POINTS = 10;
export const BATCH_SECONDS = 30;
export const OFFLINE_BATCH_POINTS = 100;

function load(): QueuedBatch[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]') as QueuedBatch[];
  } catch {
    return [];
  }
}

function save(batches: QueuedBatch[]) {
  localStorage.setItem(KEY, JSON.stringify(batches));
  count(batches);
}

/** Points waiting to be sent: the queued batches and, offline, the batch being gathered. */
export const waiting = ref(0);
function count(batches = load()) {
  waiting.value = batches.reduce((n, b) => n + b.points.length, 0) + (navigator.onLine ? 0 : (buffer?.points.length ?? 0));
}
/** The last refusal the server gave a batch (its Chinese detail); the batch is dropped, not retried. */
export const refusal = ref('');

let buffer: { patrolId: string; points: TrackPoint[]; since: number } | null = null;
count();

/** Adds a position; closes the batch when it has 10 points or is 30 s old. True when a batch was closed. */
export function record(patrolId: string, point: TrackPoint): boolean {
  if (!buffer || buffer.patrolId !== patrolId) buffer = { patrolId, points: [], since: Date.now() };
  buffer.points.push(point);
  const full = navigator.onLine
    ? buffer.points.length >= BATCH_POINTS || Date.now() - buffer.since >= BATCH_SECONDS * 1000
    : buffer.points.length >= OFFLINE_BATCH_POINTS;
  if (full) {
    closeBatch();
    return true;
  }
  count();
  return false;
}

/** Moves the open batch (if any) into the queue. */
export function closeBatch() {
  if (!buffer || buffer.points.length === 0) return;
  save([...load(), { patrolId: buffer.patrolId, batchId: newKey(), points: buffer.points }]);
  buffer = null;
}

let sending: Promise<boolean> | null = null;

/** Sends the queued batches in order; true when the queue is empty afterwards (false: offline, try again later). */
export function flush(): Promise<boolean> {
  sending ??= send().finally(() => (sending = null));
  return sending;
}

async function send(): Promise<boolean> {
  for (;;) {
    const [next] = load();
    if (!next) return true;
    let status: number;
    let error: unknown;
    try {
      const answer = await api.POST('/api/patrols/{id}/points', {
        params: { path: { id: next.patrolId } },
        body: { batchId: next.batchId, points: next.points },
      });
      status = answer.response.status;
      error = answer.error;
    } catch {
      return false; // no network
    }
    if (status >= 500 || status === 408 || status === 429) return false;
    if (error) refusal.value = problemText(error, '轨迹上传失败');
    save(load().filter((b) => b.batchId !== next.batchId));
  }
}
