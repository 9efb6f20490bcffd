using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>
/// Creates the record of a station the tenant did not know, when its UnknownStationPolicy admits it
/// (AdmitAsPending: BootNotification answers Pending until an operator accepts it).
/// </summary>
internal sealed class UnknownStationAdmission(IServiceScopeFactory scopes, IStationDirectory directory, TimeProvider time)
{
    public async Task<StationAuthInfo> AdmitAsync(TenantInfo tenant, string identity, string variant, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(tenant.Id);
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var rootCompany = await db.Companies.Where(c => c.ParentId == null).OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync(ct);
        var station = new Station
        {
            TenantId = tenant.Id,
            Identity = identity,
            CompanyId = rootCompany,
            AllowedVariants = [variant],
            RegistrationStatus = tenant.Settings.UnknownStationPolicy == UnknownStationPolicy.AdmitAsAccepted
                ? RegistrationStatus.Accepted
                : RegistrationStatus.Pending,
            CreatedAt = time.GetUtcNow(),
        };
        db.Stations.Add(station);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Add("Station.AdmittedUnknown", identity,
            new { station.RegistrationStatus, variant, policy = tenant.Settings.UnknownStationPolicy });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two handshakes of the same new station raced; the other one created it.
        }

        return await directory.FindAsync(tenant.Id, identity, ct)
            ?? throw new InvalidOperationException("The admitted station could not be read back.");
    }
}
