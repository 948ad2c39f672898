using CivicGrid.Server.Infrastructure.Privacy;

namespace CivicGrid.Server.Features.Households;

/// <summary>A resident's personal fields in clear, only in memory.</summary>
public sealed record ResidentIdentity(string Name, string? IdNumber, string? Phone);

/// <summary>
/// The household register seals its residents' fields itself (their columns are the sealed values, with a blind index
/// each), under the same keys as every other sealed column.
/// </summary>
public static class ResidentSealing
{
    extension(FieldVault vault)
    {
        /// <summary>Seals a resident's fields with their indexes: (name, name index, ID, ID index, phone, phone index).</summary>
        public (string Name, string NameIndex, string? IdNumber, string? IdNumberIndex, string? Phone, string? PhoneIndex) SealAll(ResidentIdentity identity) =>
            (vault.Seal(FieldVault.NameField, identity.Name), vault.Index(FieldVault.NameField, identity.Name),
                identity.IdNumber is null ? null : vault.Seal(FieldVault.IdNumberField, identity.IdNumber),
                identity.IdNumber is null ? null : vault.Index(FieldVault.IdNumberField, identity.IdNumber),
                identity.Phone is null ? null : vault.Seal(FieldVault.PhoneField, identity.Phone),
                identity.Phone is null ? null : vault.Index(FieldVault.PhoneField, identity.Phone));

        /// <summary>The resident's fields in clear.</summary>
        public ResidentIdentity OpenAll(Resident resident) =>
            new(vault.Open(FieldVault.NameField, resident.SealedName), vault.OpenOptional(FieldVault.IdNumberField, resident.SealedIdNumber),
                vault.OpenOptional(FieldVault.PhoneField, resident.SealedPhone));

        /// <summary>Re-seals a resident with the current key when any field is under an older one; true when it did.</summary>
        public bool Reseal(Resident resident)
        {
            var current = vault.CurrentKeyId;
            if (new[] { resident.SealedName, resident.SealedIdNumber, resident.SealedPhone }.All(v => v is null || FieldVault.KeyIdOf(v) == current))
            {
                return false;
            }

            var sealedAll = vault.SealAll(vault.OpenAll(resident));
            resident.Seal(sealedAll.Name, sealedAll.NameIndex, sealedAll.IdNumber, sealedAll.IdNumberIndex, sealedAll.Phone, sealedAll.PhoneIndex);
            return true;
        }
    }
}
