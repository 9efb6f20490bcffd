using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.IdTags;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Tests.Domain;

public sealed class IdTagAuthorizerTests : IAsyncLifetime
{
    private DomainDatabase _db = null!;

    public async Task InitializeAsync() => _db = await DomainDatabase.CreateAsync(startWriter: false);

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    private async Task<IdTagAuthorization> AuthorizeAsync(string idTag, int? exceptTransactionId = null)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<IdTagAuthorizer>().AuthorizeAsync(idTag, exceptTransactionId, CancellationToken.None);
    }

    private Task AddTagAsync(string value, IdTagStatus status = IdTagStatus.Accepted, DateTimeOffset? expiry = null, string? parent = null) =>
        _db.WithDbAsync(db =>
        {
            db.IdTags.Add(new IdTag { TenantId = _db.TenantId, Value = value, Status = status, ExpiryDate = expiry, ParentIdTag = parent });
            return db.SaveChangesAsync();
        });

    [Fact]
    public async Task An_accepted_tag_is_accepted_with_its_expiry_and_parent()
    {
        var expiry = _db.Time.GetUtcNow().AddDays(30);
        await AddTagAsync("CARD-1", expiry: expiry, parent: "FLEET");

        var result = await AuthorizeAsync("CARD-1");

        Assert.Equal(new IdTagAuthorization(IdTagAuthorizationStatus.Accepted, expiry, "FLEET"), result);
    }

    [Fact]
    public async Task Blocked_and_expired_tags_are_refused_as_such()
    {
        await AddTagAsync("BLOCKED", IdTagStatus.Blocked);
        await AddTagAsync("EXPIRED", IdTagStatus.Expired);
        await AddTagAsync("PAST", expiry: _db.Time.GetUtcNow().AddMinutes(-1));

        Assert.Equal(IdTagAuthorizationStatus.Blocked, (await AuthorizeAsync("BLOCKED")).Status);
        Assert.Equal(IdTagAuthorizationStatus.Expired, (await AuthorizeAsync("EXPIRED")).Status);
        Assert.Equal(IdTagAuthorizationStatus.Expired, (await AuthorizeAsync("PAST")).Status);
    }

    [Fact]
    public async Task An_unknown_tag_is_invalid()
    {
        Assert.Equal(new IdTagAuthorization(IdTagAuthorizationStatus.Invalid), await AuthorizeAsync("NOBODY"));
    }

    [Fact]
    public async Task A_tag_in_an_unfinished_transaction_is_concurrent_except_for_that_transaction()
    {
        await AddTagAsync("CARD-1");
        var station = await _db.AddStationAsync();
        var transaction = new ChargingTransaction { TenantId = _db.TenantId, StationId = station.StationId, ConnectorId = 1, IdTag = "CARD-1", StartedAt = _db.Time.GetUtcNow() };
        await _db.WithDbAsync(db =>
        {
            db.Transactions.Add(transaction);
            return db.SaveChangesAsync();
        });

        Assert.Equal(IdTagAuthorizationStatus.ConcurrentTx, (await AuthorizeAsync("CARD-1")).Status);
        Assert.Equal(IdTagAuthorizationStatus.Accepted, (await AuthorizeAsync("CARD-1", transaction.Id)).Status);
    }

    [Fact]
    public async Task A_suffixed_tag_is_found_without_its_suffix_only_when_the_tenant_says_so()
    {
        await AddTagAsync("04A2B3C4");

        Assert.Equal(IdTagAuthorizationStatus.Invalid, (await AuthorizeAsync("04A2B3C4_12345")).Status);

        await _db.WithDbAsync(async db =>
        {
            var settings = await db.TenantSettings.SingleAsync();
            settings.IdTagSuffixSeparator = "_";
            await db.SaveChangesAsync();
        });
        _db.Services.GetRequiredService<Voltgate.Core.Tenancy.TenantDirectory>().Invalidate(_db.TenantId);

        Assert.Equal(IdTagAuthorizationStatus.Accepted, (await AuthorizeAsync("04A2B3C4_12345")).Status);
    }
}
