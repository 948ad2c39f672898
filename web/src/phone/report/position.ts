// Where the phone is. Browsers give WGS-84 (GPS); inside WeChat the JS-SDK bridge gives GCJ-02, which the
// server converts: every position is sent with its coordinate system and never converted here.
export interface Position {
  lon: number;
  lat: number;
  crs: 'wgs84' | 'gcj02';
  /** Radius in metres; a pin placed by hand counts as 10 m. */
  accuracy?: number;
}

interface WeChatBridge {
  getLocation(options: { type: 'gcj02'; success(r: { longitude: number; latitude: number; accuracy?: number }): void; fail(e: unknown): void }): void;
}

export function currentPosition(timeoutMs = 15_000): Promise<Position> {
  const wx = (window as unknown as { wx?: WeChatBridge }).wx;
  if (wx?.getLocation) {
    return new Promise((resolve, reject) =>
      wx.getLocation({
        type: 'gcj02',
        success: (r) => resolve({ lon: r.longitude, lat: r.latitude, crs: 'gcj02', accuracy: r.accuracy }),
        fail: reject,
      }),
    );
  }
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, crs: 'wgs84', accuracy: p.coords.accuracy }),
      reject,
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** The place in words from a locate answer's chain: community · grid · micro-grid (what a reporter recognises). */
export function placeName(chain: readonly { level: string; name: string }[]): string {
  return chain.filter((c) => ['community', 'grid-3', 'micro'].includes(c.level)).map((c) => c.name).join(' · ');
}
