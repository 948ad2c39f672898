// The console's maps take no tiles from outside: a plain background with our own grid polygons, unless the build
// sets VITE_BASEMAP_TILES (an XYZ raster template, e.g. an intranet 天地图 proxy). Imported only by map components,
// so MapLibre stays out of every other chunk.
import { setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
// MapLibre looks for its worker beside its own file; the bundler gives the worker its own hashed file instead.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';

setWorkerUrl(workerUrl);

/** The demo subdistrict's centre, WGS-84 lon/lat. */
export const demoCentre: [number, number] = [108.97, 34.245];

/** The style with no outside tiles unless configured; `background` for the plain paper (the big screen's is dark). */
export function consoleMapStyle(background = '#eef1f4'): StyleSpecification {
  const tiles = import.meta.env.VITE_BASEMAP_TILES as string | undefined;
  return {
    version: 8,
    sources: tiles ? { base: { type: 'raster', tiles: [tiles], tileSize: 256 } } : {},
    layers: [
      { id: 'paper', type: 'background', paint: { 'background-color': background } },
      ...(tiles ? [{ id: 'base', type: 'raster' as const, source: 'base' }] : []),
    ],
  };
}
