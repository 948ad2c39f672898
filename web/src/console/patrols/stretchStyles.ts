// How each kind of stretch of a patrol's track is drawn (the map and its legend share these).
import type { Schemas } from '@/api/client';

type StretchKind = Schemas['PatrolStretch']['kind'];
export const stretchStyles: Record<StretchKind, { colour: string; width: number; dash?: number[] }> = {
  walked: { colour: '#188038', width: 4 },
  vehicle: { colour: '#d93025', width: 3, dash: [2, 1.5] },
  jump: { colour: '#9aa0a6', width: 2, dash: [0.5, 1.5] },
  gap: { colour: '#9aa0a6', width: 2, dash: [0.5, 1.5] },
};
