// The map's patrol layers: a day's tracks (GET /api/patrols/tracks, simplified by the server) as lines, and the grids of
// one level (micro-grids or third-level grids) coloured by their coverage for a period (GET /api/patrols/coverage)
// through feature state on the grid source: orange for nobody walked, green shaded by the time walked.
import type { Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl';
import { api, type Schemas } from '@/api/client';
import type { PatrolPeriod } from '../patrols/period';

const COVERAGE = { micro: { layer: 'patrol-coverage', source: 'micros' }, 'grid-3': { layer: 'patrol-coverage-thirds', source: 'thirds' } } as const;
const LAYERS = ['patrol-coverage', 'patrol-coverage-thirds', 'patrol-tracks'];
export type PatrolTrack = Schemas['PatrolResponse'];

/** Minutes walked that the legend's shades stand for (the last and above: darkest). */
export const coverageShades: readonly { minutes: number; colour: string }[] = [
  { minutes: 0, colour: '#c7e9c0' }, { minutes: 15, colour: '#74c476' }, { minutes: 60, colour: '#31a354' }, { minutes: 180, colour: '#006d2c' },
];
export const notWalkedColour = '#f29900';
export const trackColour = '#7b1fa2';

function ensureLayers(map: MapLibreMap) {
  if (map.getLayer('patrol-tracks')) return;
  const fill = ['case', ['<', ['coalesce', ['feature-state', 'walkedMinutes'], -2], -1], 'rgba(0,0,0,0)',
    ['<', ['feature-state', 'walkedMinutes'], 0], notWalkedColour,
    ['interpolate', ['linear'], ['feature-state', 'walkedMinutes'], ...coverageShades.flatMap((s) => [s.minutes, s.colour])]];
  for (const { layer, source } of Object.values(COVERAGE)) {
    // Under the grid lines and the case points, over the open-case colouring.
    map.addLayer({ id: layer, type: 'fill', source, layout: { visibility: 'none' }, paint: { 'fill-color': fill as never, 'fill-opacity': 0.55 } },
      map.getLayer('micro-line') ? 'micro-line' : undefined);
  }
  map.addLayer({ id: 'patrol-tracks', type: 'line', source: 'patrol-tracks', layout: { visibility: 'none', 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': trackColour, 'line-width': 3 } });
}

/** The day's tracks; answers their patrols (for the list beside the map). */
export async function loadTracks(map: MapLibreMap, date: string): Promise<PatrolTrack[]> {
  const tracks = await api.GET('/api/patrols/tracks', { params: { query: { date } } });
  const data = (tracks.data ?? { type: 'FeatureCollection', features: [] }) as unknown as Parameters<GeoJSONSource['setData']>[0];
  const existing = map.getSource('patrol-tracks') as GeoJSONSource | undefined;
  if (existing) existing.setData(data);
  else map.addSource('patrol-tracks', { type: 'geojson', data });
  ensureLayers(map);
  return (tracks.data?.features ?? []).map((f) => f.properties);
}

/** Colours the grids of the period's level by coverage; answers the coverage (or null when refused). */
export async function loadCoverage(map: MapLibreMap, period: PatrolPeriod): Promise<Schemas['CoverageResponse'] | null> {
  const { data } = await api.GET('/api/patrols/coverage', { params: { query: { from: period.from, to: period.to, level: period.level } } });
  const { source } = COVERAGE[period.level];
  // Every grid of the level in scope is in the answer, so each one's state is replaced (the other states stay).
  for (const g of data?.grids ?? []) map.setFeatureState({ source, id: g.code }, { walkedMinutes: g.walked ? g.seconds / 60 : -1 });
  return data ?? null;
}

export function showPatrolLayers(map: MapLibreMap, visible: boolean, level: PatrolPeriod['level']) {
  for (const id of LAYERS) {
    const on = visible && (id === 'patrol-tracks' || id === COVERAGE[level].layer);
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  }
}
