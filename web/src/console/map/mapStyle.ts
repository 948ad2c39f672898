// The console's maps: a plain background, the base map the server offers underneath (shared/basemap.ts: its own vector
// tiles of the territory, or a configured online tile URL; nothing from the internet by default) and our own grid
// polygons and cases on top. Imported only by map components, so MapLibre stays out of every other chunk.
import { setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
// MapLibre looks for its worker beside its own file; the bundler gives the worker its own hashed file instead.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';

setWorkerUrl(workerUrl);

/** The demo subdistrict's centre, WGS-84 lon/lat. */
export const demoCentre: [number, number] = [108.97, 34.245];

/** The starting style: the plain paper (`background`; the big screen's is dark). `addBasemap` puts the base map on it. */
export function consoleMapStyle(background = '#eef1f4'): StyleSpecification {
  return { version: 8, sources: {}, layers: [{ id: 'paper', type: 'background', paint: { 'background-color': background } }] };
}
