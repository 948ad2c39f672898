namespace CivicGrid.Server.Features.Cases.Intake;

/// <summary>
/// The way a report came in, as the metrics name it (<c>door</c> label): finer than <see cref="Domain.Cases.CaseChannel"/>,
/// which says who reported, where the door says how (JSON or multipart on the same route, a device's webhook or its MQTT
/// topic). Kebab-case names in the metrics, e.g. <c>open311</c>.
/// </summary>
public enum IntakeDoor
{
    /// <summary><c>POST /api/cases</c> with a JSON body.</summary>
    Json,

    /// <summary><c>POST /api/cases</c> as multipart form data (with or without photos).</summary>
    Multipart,

    /// <summary>Open311 GeoReport v2 <c>POST requests</c>.</summary>
    Open311,

    /// <summary>A device's signed alarm on the HTTP webhook.</summary>
    Webhook,

    /// <summary>A device's signed alarm on MQTT.</summary>
    Mqtt,

    /// <summary>The heartbeat check's case for a device gone silent.</summary>
    Heartbeat,

    /// <summary>A 12345 hotline file import.</summary>
    Hotline,

    /// <summary>A problem found on a household visit.</summary>
    Visit,

    /// <summary>A resident council's finding turned into a case.</summary>
    Council,

    /// <summary>Anything else (the demo seeder, a channel without a door of its own).</summary>
    Other,
}
