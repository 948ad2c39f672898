// The base map under every map's grids and cases: GET /api/basemap says what the server has — its own vector tiles of
// the territory's streets and buildings (an MBTiles file the operator provides; the demo makes one), raster tiles, an
// online tile URL from configuration (Web:MapTiles, e.g. a 天地图 proxy), or nothing (plain paper). No tile comes from
// the internet unless configured. Labels are drawn with the device's own fonts (no glyph server: the style has no
// `glyphs`, which MapLibre renders locally).
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { api, type Schemas } from '@/api/client';

export type BasemapTheme = 'light' | 'dark';

let described: Promise<Schemas['BasemapResponse'] | undefined> | undefined;

/** What the server offers, asked once per page load. */
export function describeBasemap() {
  described ??= api.GET('/api/basemap').then((r) => r.data, () => undefined);
  return described;
}

const palettes = {
  light: {
    residential: '#ece6da', school: '#f3e4c4', hospital: '#f5dcdc', retail: '#efe0ee', other: '#e7e2d6',
    building: '#d8cfc3', buildingLine: '#c2b6a6', casing: '#cdc3b4', road: '#ffffff', primary: '#fff6de',
    label: '#4f4a42', halo: '#ffffff', place: '#857b6d',
  },
  dark: {
    residential: '#10253d', school: '#142a44', hospital: '#172a43', retail: '#132842', other: '#112640',
    building: '#1a3352', buildingLine: '#21406a', casing: '#0d1f35', road: '#27476f', primary: '#335a88',
    label: '#9db4d3', halo: '#0a1a2f', place: '#6f8bb0',
  },
} as const;

function vectorLayers(theme: BasemapTheme): LayerSpecification[] {
  const c = palettes[theme];
  // Widths by zoom, each stop by the road's class (a zoom curve must be the outermost expression).
  const widths = (extra: number) => ['interpolate', ['exponential', 1.6], ['zoom'],
    ...([[12, 1, 0.5, 0.3], [14, 3, 1.8, 1], [17, 12, 7, 4], [19, 30, 18, 10]] as const).flatMap(([zoom, primary, secondary, minor]) =>
      [zoom, ['match', ['get', 'class'], 'primary', primary + extra, 'secondary', secondary + extra, minor + extra]])];
  return [
    {
      id: 'base-landuse', type: 'fill', source: 'basemap', 'source-layer': 'landuse',
      paint: {
        'fill-color': ['match', ['get', 'class'], 'residential', c.residential, 'school', c.school, 'hospital', c.hospital, 'retail', c.retail, c.other],
      },
    },
    {
      id: 'base-building', type: 'fill', source: 'basemap', 'source-layer': 'building', minzoom: 14,
      paint: { 'fill-color': c.building, 'fill-outline-color': c.buildingLine, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 14, 0.4, 16, 1] },
    },
    {
      id: 'base-road-casing', type: 'line', source: 'basemap', 'source-layer': 'transportation',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': c.casing, 'line-width': widths(1.5) as never },
    },
    {
      id: 'base-road', type: 'line', source: 'basemap', 'source-layer': 'transportation',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], 'primary', c.primary, c.road],
        'line-width': widths(0) as never,
      },
    },
    {
      id: 'base-road-name', type: 'symbol', source: 'basemap', 'source-layer': 'transportation_name', minzoom: 14,
      filter: ['any', ['==', ['get', 'class'], 'primary'], ['>=', ['zoom'], 15.5]],
      layout: {
        'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-size': ['interpolate', ['linear'], ['zoom'], 14, 11, 17, 14],
        'symbol-spacing': 320, 'text-max-angle': 30,
      },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
    },
    {
      id: 'base-place', type: 'symbol', source: 'basemap', 'source-layer': 'poi', minzoom: 16,
      layout: { 'text-field': ['get', 'name'], 'text-size': 11, 'text-max-width': 8 },
      paint: { 'text-color': c.place, 'text-halo-color': c.halo, 'text-halo-width': 1.2 },
    },
  ] as LayerSpecification[];
}

function absolute(url: string) {
  return url.startsWith('/') ? `${window.location.origin}${url}` : url;
}

/**
 * Adds the base map to `map` underneath every layer the page draws (whenever those are added), once its style has
 * loaded. Call it right after creating the map (it waits for the map's 'load' event). Resolves true when there was a
 * base map to add.
 */
export async function addBasemap(map: MapLibreMap, theme: BasemapTheme = 'light'): Promise<boolean> {
  const [info] = await Promise.all([
    describeBasemap(),
    new Promise<void>((resolve) => map.once('load', () => resolve())),
  ]);
  if (!info || info.kind === 'none' || !info.tiles) return false;
  const tiles = [absolute(info.tiles)];
  const bounds = info.bounds?.length === 4 ? (info.bounds as [number, number, number, number]) : undefined;
  // Under the page's own layers: before the first one after the background paper.
  const below = () => map.getStyle().layers.find((l) => l.id !== 'paper' && !l.id.startsWith('base-'))?.id;
  if (info.kind === 'vector') {
    map.addSource('basemap', {
      type: 'vector', tiles, minzoom: info.minZoom, maxzoom: info.maxZoom, bounds, attribution: info.attribution ?? undefined,
    });
    for (const layer of vectorLayers(theme)) map.addLayer(layer, below());
  } else {
    map.addSource('basemap', { type: 'raster', tiles, tileSize: 256, minzoom: info.minZoom, maxzoom: info.maxZoom, bounds });
    map.addLayer({ id: 'base-raster', type: 'raster', source: 'basemap', paint: { 'raster-opacity': theme === 'dark' ? 0.45 : 1 } }, below());
  }
  // What the map drew, on its element after each redraw settles: for the browser tests and anyone inspecting the page.
  const container = map.getContainer();
  container.dataset.basemap = info.kind;
  map.on('idle', () => {
    if (info.kind !== 'vector') return;
    container.dataset.basemapRoads = String(map.queryRenderedFeatures({ layers: ['base-road'] }).length);
    container.dataset.basemapBuildings = String(map.queryRenderedFeatures({ layers: ['base-building'] }).length);
    container.dataset.basemapLabels = String(map.queryRenderedFeatures({ layers: ['base-road-name'] }).length);
  });
  return true;
}

/**
 * The words MapLibre puts on a map's own parts for a screen reader (the map region, markers, zoom buttons, popups'
 * close), in the page's language: its defaults are English ("Map", "Map marker"). Passed as every map's `locale`.
 */
export function mapLocale(): Record<string, string> {
  if (document.documentElement.lang === 'en-US') return {};
  return {
    'Map.Title': '地图',
    'Marker.Title': '位置标记',
    'NavigationControl.ZoomIn': '放大',
    'NavigationControl.ZoomOut': '缩小',
    'NavigationControl.ResetBearing': '恢复正北方向',
    'Popup.Close': '关闭',
    'GeolocateControl.FindMyLocation': '定位到我的位置',
    'GeolocateControl.LocationNotAvailable': '无法获取位置',
    'FullscreenControl.Enter': '全屏',
    'FullscreenControl.Exit': '退出全屏',
    'AttributionControl.ToggleAttribution': '地图来源',
    'ScaleControl.Meters': '米',
    'ScaleControl.Kilometers': '公里',
  };
}
