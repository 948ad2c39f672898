// The phone's steps during a patrol, counted from the accelerometer (DeviceMotionEvent) by the step detector while the
// patrol page is open. The count is "since the patrol started", kept per patrol in localStorage so that a reload does not
// start it again. `active` turns true only once the phone has sent motion data: many browsers have the event but never
// fire it (a desktop, a phone without the sensor), and then nothing is sent and the server estimates from the distance.
// iOS asks the user first (DeviceMotionEvent.requestPermission, only from a tap): `needsPermission` says so.
import { ref } from 'vue';
import { StepDetector } from './stepDetector';

const KEY = 'civicgrid.patrol.steps';

type PermissionRequest = () => Promise<'granted' | 'denied'>;
const requestPermission = (): PermissionRequest | undefined =>
  typeof DeviceMotionEvent !== 'undefined' ? (DeviceMotionEvent as unknown as { requestPermission?: PermissionRequest }).requestPermission : undefined;

/** The phone has sent motion data during this patrol. */
export const active = ref(false);
/** iOS: motion data needs the user's permission, asked from a tap. */
export const needsPermission = ref(false);
/** Steps of the open patrol counted on this phone. */
export const count = ref(0);

let detector: StepDetector | null = null;
let patrol: string | null = null;

function stored(patrolId: string): number {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as { patrolId: string; steps: number } | null;
    return saved?.patrolId === patrolId ? saved.steps : 0;
  } catch {
    return 0;
  }
}

function onMotion(e: DeviceMotionEvent) {
  const a = e.accelerationIncludingGravity;
  if (!detector || !patrol || a?.x == null || a.y == null || a.z == null) return;
  active.value = true;
  needsPermission.value = false;
  if (detector.add(e.timeStamp, a.x, a.y, a.z)) {
    count.value = detector.steps;
    localStorage.setItem(KEY, JSON.stringify({ patrolId: patrol, steps: detector.steps }));
  }
}

/** Starts counting for a patrol (again after a reload: from the count kept for it). */
export function startCounting(patrolId: string) {
  if (typeof window === 'undefined' || !('DeviceMotionEvent' in window)) return;
  if (patrol !== patrolId) {
    patrol = patrolId;
    detector = new StepDetector(stored(patrolId));
    count.value = detector.steps;
    active.value = false;
  }
  needsPermission.value = requestPermission() !== undefined;
  window.removeEventListener('devicemotion', onMotion);
  window.addEventListener('devicemotion', onMotion);
}

/** iOS: asks for motion data (must be called from a tap). */
export async function allowMotion() {
  const ask = requestPermission();
  if (!ask) return;
  try {
    if ((await ask()) === 'granted') needsPermission.value = false;
  } catch {
    // refused or not from a tap: the server estimates the steps from the distance
  }
}

/** The count to send with a point: the phone's steps since the start, or null when the phone sends no motion data. */
export function stepsForPoint(patrolId: string): number | null {
  return active.value && patrol === patrolId ? count.value : null;
}

/** Stops counting; with `ended`, the patrol's kept count is dropped too. */
export function stopCounting(ended = false) {
  if (typeof window !== 'undefined') window.removeEventListener('devicemotion', onMotion);
  if (ended) localStorage.removeItem(KEY);
  detector = null;
  patrol = null;
  active.value = false;
}
