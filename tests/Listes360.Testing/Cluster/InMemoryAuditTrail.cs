using System.Collections.Concurrent;
using Listes360.Grains.Security;

namespace Listes360.Testing.Cluster;

/// <summary>An audit trail in memory, for grain tests only (the Azure one is tested on Azurite).</summary>
public sealed class InMemoryAuditTrail : IAuditTrail
{
    private readonly ConcurrentQueue<AuditEntry> _entries = new();

    public IReadOnlyList<AuditEntry> Entries => _entries.ToList();

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        _entries.Enqueue(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.Where(e => e.At >= query.From && e.At <= query.To && query.Matches(e)).Reverse().Take(query.Limit).ToList());
}
