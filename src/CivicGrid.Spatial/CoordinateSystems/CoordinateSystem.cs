namespace CivicGrid.Spatial.CoordinateSystems;

/// <summary>
/// The geographic coordinate system a longitude/latitude pair was reported in. Every coordinate
/// entering CivicGrid states one of these and is normalised to WGS-84 once, at the edge, with
/// <see cref="ChinaCoordinates.ToWgs84(double, double, CoordinateSystem)"/>; everything stored
/// and compared inside CivicGrid is WGS-84 (SRID 4326).
/// </summary>
/// <remarks>
/// The systems differ by hundreds of metres in Chinese cities, enough to place a case in the
/// neighbouring subdistrict, so a coordinate must never be assumed to be in any of them.
/// <see cref="Wgs84"/> is the default value of this enum; API contracts should make the system a
/// required field rather than rely on that default. The API spells these names as listed in
/// <see cref="CoordinateSystemNames.ApiNames"/>.
/// </remarks>
public enum CoordinateSystem
{
    /// <summary>
    /// WGS-84 (EPSG:4326), what GPS receivers and <c>wx.getLocation</c> with <c>type: 'wgs84'</c>
    /// report. CivicGrid's internal system.
    /// </summary>
    Wgs84,

    /// <summary>
    /// China Geodetic Coordinate System 2000 (EPSG:4490), used by official maps and Tianditu.
    /// It agrees with WGS-84 to about a metre, below the accuracy of a phone fix and of our grid
    /// boundaries, so CivicGrid treats it as WGS-84: conversion leaves the numbers unchanged.
    /// </summary>
    Cgcs2000,

    /// <summary>
    /// GCJ-02, the obfuscated system mandated for published maps in China and used by WeChat's
    /// maps, AMap (Gaode) and Tencent Maps. Within China it is 250–700 m off WGS-84; outside
    /// China (see <see cref="ChinaCoordinates.IsOutsideChina"/>) it equals WGS-84.
    /// </summary>
    Gcj02,

    /// <summary>
    /// BD-09, Baidu's system: GCJ-02 with a further published rotation and offset, which
    /// CivicGrid applies everywhere, inside China or not (see <see cref="ChinaCoordinates.Gcj02ToBd09"/>).
    /// </summary>
    Bd09,
}
