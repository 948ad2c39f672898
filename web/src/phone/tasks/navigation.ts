// Taking a worker to a case: links that open the phone's own map app at the case's point. Our positions are WGS-84;
// Amap (高德) and every Chinese map app draw GCJ-02, which lies 250–700 m off in Chinese cities, so the Amap link
// carries the point converted with the published forward formula (the same as CivicGrid.Spatial's
// ChinaCoordinates.Wgs84ToGcj02, whose sources it names). The geo: URI (RFC 5870) is WGS-84 by definition.

const A = 6378245.0; // Krasovsky 1940 semi-major axis, metres
const EE = 0.00669342162296594323; // its eccentricity squared

function outsideChina(lon: number, lat: number) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

/** WGS-84 → GCJ-02 (degrees, longitude first); points outside China are returned unchanged. */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (outsideChina(lon, lat)) return [lon, lat];
  const x = lon - 105.0;
  const y = lat - 35.0;
  const shared = ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x)) + shared
    + ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0
    + ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320.0 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x)) + shared
    + ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0
    + ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  const radLat = (lat / 180.0) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** Amap's marker page (opens the Amap app when installed, else its web map): the point in GCJ-02, with a name. */
export function amapLink(lon: number, lat: number, name: string): string {
  const [gLon, gLat] = wgs84ToGcj02(lon, lat);
  const params = new URLSearchParams({ position: `${gLon.toFixed(6)},${gLat.toFixed(6)}`, name, src: 'civicgrid', coordinate: 'gaode', callnative: '1' });
  return `https://uri.amap.com/marker?${params.toString()}`;
}

/** The phone's default map app (Android's chooser; iOS ignores geo:), WGS-84 as RFC 5870 defines it. */
export function geoLink(lon: number, lat: number, name: string): string {
  return `geo:${lat.toFixed(6)},${lon.toFixed(6)}?q=${lat.toFixed(6)},${lon.toFixed(6)}(${encodeURIComponent(name)})`;
}
