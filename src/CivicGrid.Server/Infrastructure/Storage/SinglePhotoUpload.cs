using CivicGrid.Server.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CivicGrid.Server.Infrastructure.Storage;

/// <summary>One uploaded photo (a work ID's, a visit's) processed and filed, or the Chinese problem that refuses it.</summary>
public static class SinglePhotoUpload
{
    /// <param name="missing">The message when no photo was sent, e.g. 请上传一张证件照.</param>
    /// <returns>The stored photo, or a 400 validation problem on the field <c>photo</c>.</returns>
    public static async Task<(ProcessedPhoto? Photo, ProblemHttpResult? Refused)> StoreAsync(IFormFile? photo, PhotoProcessor processor, PhotoStore store,
        string missing, CancellationToken ct)
    {
        if (photo is null || photo.Length == 0)
        {
            return (null, Problems.Validation("photo", missing));
        }

        ProcessedPhoto processed;
        try
        {
            await using var content = photo.OpenReadStream();
            processed = await processor.ProcessAsync(content, photo.FileName, ct);
        }
        catch (PhotoRejectedException e)
        {
            return (null, Problems.Validation("photo", e.ChineseMessage));
        }

        await store.SaveAsync(processed, ct);
        return (processed, null);
    }
}
