using Azure.Data.Tables;
using Listes360.AzureStorage.Emulator;
using Xunit;

namespace Listes360.Testing;

/// <summary>
/// A private Azurite Table service for one test collection or class: started on a free loopback
/// port with in-memory persistence (nothing left on disk), stopped on dispose.
/// </summary>
/// <remarks>
/// <para>Use it as <c>IClassFixture&lt;AzuriteFixture&gt;</c>, or share one instance across classes
/// with a collection. xunit only finds collection definitions in the test assembly itself, so each
/// test project declares its own, one line on top of <see cref="AzuriteCollectionDefinition"/>:</para>
/// <code>
/// [CollectionDefinition(AzuriteCollectionDefinition.Name)]
/// public sealed class AzuriteCollection : AzuriteCollectionDefinition;
///
/// [Collection(AzuriteCollectionDefinition.Name)]
/// public sealed class MyTests(AzuriteFixture azurite) { ... }
/// </code>
/// <para>Give each test its own table (<see cref="UniqueTableName"/>) so tests sharing one Azurite
/// never see each other's data. If Azurite cannot start, <see cref="InitializeAsync"/> throws with
/// the reason and Azurite's output: storage tests fail, they are never skipped.</para>
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private string? _workingDirectory;
    private AzuriteServer? _server;

    private AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite n'est pas démarré (InitializeAsync).");

    /// <summary>Loopback port of the Table service; valid after <see cref="InitializeAsync"/>.</summary>
    public int Port => Server.Port;

    /// <summary>Connection string of the Table service; valid after <see cref="InitializeAsync"/>.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>A table name no other test uses (Azure table names: letters and digits, 3 to 63).</summary>
    public static string UniqueTableName(string prefix = "t")
    {
        var start = new string([.. prefix.Where(char.IsAsciiLetterOrDigit).Take(30)]);
        if (start.Length == 0 || !char.IsAsciiLetter(start[0]))
            start = "t" + start;
        return start + Guid.NewGuid().ToString("N");
    }

    public TableServiceClient CreateServiceClient() => new(ConnectionString);

    public async Task InitializeAsync()
    {
        _workingDirectory = Directory.CreateTempSubdirectory("listes360-azurite-").FullName;
        try
        {
            _server = await AzuriteServer.StartAsync(AzuriteServer.FindInfraFolder(AppContext.BaseDirectory), _workingDirectory, inMemory: true);
        }
        catch
        {
            DeleteWorkingDirectory(); // xunit does not dispose a fixture whose initialization failed
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        DeleteWorkingDirectory();
    }

    private void DeleteWorkingDirectory()
    {
        if (_workingDirectory is not null && Directory.Exists(_workingDirectory))
            Directory.Delete(_workingDirectory, recursive: true);
    }
}
