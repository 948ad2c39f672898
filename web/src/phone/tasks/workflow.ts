// The verbs a field worker takes on the phone, each with the version the page showed, through the one workflow client
// (@/shared/workflow) and its outcomes: done, stale (someone else changed the case: reload) or refused with the
// server's Chinese sentence.
import { act } from '@/shared/workflow';

export type { CaseDetail, Outcome } from '@/shared/workflow';

export const accept = (number: string, version: number) => act(number, 'accept', { expectedVersion: version });

/** 交办 to a person; without a due time the server counts the category's time limit on the work calendar. */
export const assign = (number: string, version: number, userId: string) =>
  act(number, 'assign', { expectedVersion: version, userId, departmentId: null, due: null });

export const startHandling = (number: string, version: number) => act(number, 'start-handling', { expectedVersion: version });

export const recordHandled = (number: string, version: number, note: string, photoIds: string[]) =>
  act(number, 'record-handled', { expectedVersion: version, note, photoIds });

export const giveBack = (number: string, version: number, reason: string) => act(number, 'return', { expectedVersion: version, reason });

export const transfer = (number: string, version: number, toGridCode: string, reason: string) =>
  act(number, 'transfer', { expectedVersion: version, toGridCode, reason, teach: true });

export const escalate = (number: string, version: number, reason: string) => act(number, 'escalate', { expectedVersion: version, reason });

export { uploadPhotos } from '@/shared/casePhotos';
