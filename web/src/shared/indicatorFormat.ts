// How an indicator's value and target read on the console scorecard and the phone's 我的星级: rates as percentages,
// counts and means with their unit, '—' when the indicator does not apply this period.
import type { Schemas } from '@/api/client';

type Line = Schemas['IndicatorLine'];

export function shownValue(line: Line): string {
  if (line.value === null || line.value === undefined) return '—';
  return line.unit === '%' ? `${Math.round(line.value * 1000) / 10}%` : `${Math.round(line.value * 100) / 100} ${line.unit}`;
}

export function shownTarget(line: Line): string {
  return line.unit === '%' ? `${Math.round(line.target * 1000) / 10}%` : `${line.target} ${line.unit}`;
}
