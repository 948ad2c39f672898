using QRCoder;

namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>QR codes drawn on the server as SVG (no image library, no outside service): sign-in codes, 2FA enrolment, work ID cards.</summary>
public static class QrCodes
{
    /// <summary>An SVG document of <paramref name="text"/> with medium error correction, sized by its viewBox so it scales to any box.</summary>
    public static string Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(new System.Drawing.Size(256, 256), "#000000", "#ffffff", drawQuietZones: true,
            sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>The same as a <c>data:</c> URI for an <c>img</c> element.</summary>
    public static string DataUri(string text) => "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Svg(text)));
}
