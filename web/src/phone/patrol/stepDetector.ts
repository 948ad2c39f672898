// Counts steps from the accelerometer while the patrol page is open (a web page cannot read the phone's own pedometer).
// The way small open-source pedometers do it: the magnitude of the acceleration (so the phone may be held any way),
// gravity removed by a slow low-pass filter, the rest smoothed by a fast one; a step is a peak of that signal above a
// threshold, at least `minIntervalMs` after the peak before (any peak: a phone shaken faster than that counts nothing,
// not every other shake). A walk is counted only once `confirmSteps` peaks have come
// each within `maxIntervalMs` of the last: a phone picked up, shaken or put down makes a few peaks and no walk.
// No imports: the browser tests run it in Node with synthetic series (e2e/step-detector.spec.ts).

export interface StepDetectorOptions {
  /** A peak of the dynamic acceleration above this counts (m/s²). */
  threshold: number;
  /** Shortest time between two steps (ms): faster than four steps a second is shaking, not walking. */
  minIntervalMs: number;
  /** Longest time between two steps of one walk (ms); after a longer pause a new walk must be confirmed again. */
  maxIntervalMs: number;
  /** Consecutive steps needed before a walk counts (they are then all counted). */
  confirmSteps: number;
  /** Time constant of the gravity estimate (ms). */
  gravityMs: number;
  /** Time constant of the smoothing of the dynamic part (ms). */
  smoothingMs: number;
}

export const defaultStepOptions: StepDetectorOptions = {
  threshold: 1.2,
  minIntervalMs: 250,
  maxIntervalMs: 2000,
  confirmSteps: 4,
  gravityMs: 1000,
  smoothingMs: 60,
};

export class StepDetector {
  /** Steps counted so far (confirmed walks only). */
  steps: number;
  private readonly options: StepDetectorOptions;
  private gravity: number | null = null;
  private smooth = 0;
  private lastAt: number | null = null;
  private inPeak = false;
  private peakAt = 0;
  private lastPeakAt: number | null = null;
  private pending = 0;

  constructor(initialSteps = 0, options: Partial<StepDetectorOptions> = {}) {
    this.steps = initialSteps;
    this.options = { ...defaultStepOptions, ...options };
  }

  /**
   * One accelerometer sample: `at` in milliseconds (any monotonic clock), acceleration including gravity in m/s².
   * Answers true when the count grew.
   */
  add(at: number, x: number, y: number, z: number): boolean {
    if (![at, x, y, z].every(Number.isFinite)) return false;
    const magnitude = Math.hypot(x, y, z);
    const dt = this.lastAt === null ? 0 : Math.max(0, at - this.lastAt);
    this.lastAt = at;
    if (this.gravity === null) {
      this.gravity = magnitude;
      return false;
    }
    this.gravity += (magnitude - this.gravity) * (dt / (this.options.gravityMs + dt));
    this.smooth += (magnitude - this.gravity - this.smooth) * (dt / (this.options.smoothingMs + dt));

    if (!this.inPeak) {
      if (this.smooth > this.options.threshold) {
        this.inPeak = true;
        this.peakAt = at;
      }
      return false;
    }
    // The peak ends when the signal falls back below zero (hysteresis: noise around the threshold is one peak).
    if (this.smooth > 0) return false;
    this.inPeak = false;
    return this.step(this.peakAt);
  }

  private step(at: number): boolean {
    const since = this.lastPeakAt === null ? Infinity : at - this.lastPeakAt;
    this.lastPeakAt = at;
    if (since < this.options.minIntervalMs) {
      this.pending = 0; // too fast for a step: the rhythm of a walk is broken
      return false;
    }
    if (since > this.options.maxIntervalMs) this.pending = 0;
    if (this.pending < this.options.confirmSteps) {
      this.pending++;
      if (this.pending < this.options.confirmSteps) return false;
      this.steps += this.pending;
      return true;
    }
    this.steps++;
    return true;
  }
}
