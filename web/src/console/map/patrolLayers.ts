// The map's patrol layers: a day's tracks (GET /api/patrols/tracks, simplified by the server) as lines, and the
// micro-grids coloured by this week's coverage (GET /api/patrols/coverage) through feature state on the grid source.
import type { Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl';
import { api } from '@/api/client';

const LAYERS = ['patrol-coverage', 'patrol-tracks'];

/** Adds the layers (hidden until shown) once the grid sources exist; answers the number of tracks of the day. */
export async function addPatrolLayers(map: MapLibreMap, date: string): Promise<number> {
  const [tracks, coverage] = await Promise.all([
    api.GET('/api/patrols/tracks', { params: { query: { date } } }),
    api.GET('/api/patrols/coverage', { params: { query: { level: 'micro' } } }),
  ]);
  const data = (tracks.data ?? { type: 'FeatureCollection', features: [] }) as unknown as Parameters<GeoJSONSource['setData']>[0] & { features: unknown[] };
  const existing = map.getSource('patrol-tracks') as GeoJSONSource | undefined;
  if (existing) existing.setData(data);
  else map.addSource('patrol-tracks', { type: 'geojson', data });
  for (const g of coverage.data?.grids ?? []) map.setFeatureState({ source: 'micros', id: g.code }, { walked: g.walked ? 1 : -1 });
  if (!map.getLayer('patrol-coverage')) {
    map.addLayer({ id: 'patrol-coverage', type: 'fill', source: 'micros', layout: { visibility: 'none' }, paint: {
      'fill-color': ['match', ['coalesce', ['feature-state', 'walked'], 0], 1, '#34a853', -1, '#f29900', 'rgba(0,0,0,0)'],
      'fill-opacity': 0.45 } });
    map.addLayer({ id: 'patrol-tracks', type: 'line', source: 'patrol-tracks', layout: { visibility: 'none', 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#7b1fa2', 'line-width': 3 } });
  }
  return data.features.length;
}

export function showPatrolLayers(map: MapLibreMap, visible: boolean) {
  for (const id of LAYERS) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}
