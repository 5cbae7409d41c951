using System.Text.Json.Nodes;
using Listes360.Api.Hosting;

namespace Listes360.Infra.Tests;

/// <summary>
/// infra/azure compiles offline with the pinned Bicep compiler, its linter (rules at warning level in
/// bicepconfig.json) reports nothing, and the compiled ARM JSON carries the settings the deployment
/// relies on: HTTPS only, no shared keys, TLS 1.2, the identity's roles, a vault with RBAC.
/// </summary>
public sealed class BicepTests(BicepTemplates bicep) : IClassFixture<BicepTemplates>
{
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    [Fact]
    public void Every_template_compiles_and_the_linter_reports_nothing_on_them()
    {
        Assert.True(bicep.ExitCode == 0, $"bicep build a échoué (code {bicep.ExitCode}) :{Environment.NewLine}{bicep.Output}");
        Assert.Contains("main.bicep", bicep.Templates);
        Assert.True(bicep.Templates.Count >= 6, string.Join(", ", bicep.Templates));
        var onTemplates = bicep.Diagnostics.Where(d => !d.Contains(BicepTemplates.ProbeFile)).ToList();
        Assert.True(onTemplates.Count == 0, "Diagnostics sur infra/azure :" + Environment.NewLine + string.Join(Environment.NewLine, onTemplates));
        Assert.DoesNotContain(bicep.Diagnostics, d => d.Contains(" : Error "));
        foreach (var template in bicep.Templates)
            Assert.NotNull(bicep.Arm(template)["resources"]);
    }

    [Fact]
    public void The_linter_ran_with_the_repository_rules_at_warning_level()
    {
        Assert.Contains(bicep.Diagnostics, d => d.Contains(BicepTemplates.ProbeFile) && d.Contains(" : Warning no-unused-params:"));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(bicep.SourceFolder, "bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();
        Assert.True((bool)config["analyzers"]!["core"]!["enabled"]!);
        Assert.All(rules.Where(r => (string?)r.Value!["level"] != "off"), r => Assert.Equal("warning", (string?)r.Value!["level"]));
    }

    [Fact]
    public void The_storage_account_refuses_shared_keys_plain_http_and_old_tls()
    {
        var storage = bicep.Arm("modules/storage.bicep");
        var account = Arm.Single(storage, "Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.True((bool)account["supportsHttpsTrafficOnly"]!);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
        Assert.True((bool)account["defaultToOAuthAuthentication"]!);
        Assert.Equal("[parameters('publicNetworkAccess')]", (string?)account["publicNetworkAccess"]);
        // main.bicep keeps the account off the internet unless told otherwise.
        var main = bicep.Arm("main.bicep");
        Assert.Equal("Disabled", (string?)main["parameters"]!["publicNetworkAccess"]!["defaultValue"]);
    }

    [Fact]
    public void The_four_tables_are_the_ones_the_service_reads_by_default()
    {
        var defaults = new StorageSettings();
        var names = bicep.Arm("main.bicep")["variables"]!["tableNames"]!.AsObject();
        Assert.Equal(
            new[] { defaults.AuditTableName, defaults.ClusterTableName, defaults.RemindersTableName, defaults.TableName }.Order(),
            names.Select(n => (string)n.Value!).Order());
        var tables = Arm.Resources(bicep.Arm("modules/storage.bicep"), "Microsoft.Storage/storageAccounts/tableServices/tables").ToList();
        Assert.Equal(4, tables.Count);
    }

    [Fact]
    public void The_service_identity_gets_table_data_rights_on_the_account_and_reads_the_vault()
    {
        var storage = bicep.Arm("modules/storage.bicep");
        var roles = Arm.Resources(storage, "Microsoft.Authorization/roleAssignments").ToList();
        var table = roles.Single(r => Arm.Resolve(storage, (string)r["properties"]!["roleDefinitionId"]!).Contains(StorageTableDataContributor));
        Assert.Equal("ServicePrincipal", (string?)table["properties"]!["principalType"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string)table["properties"]!["principalId"]!);
        Assert.Contains("Microsoft.Storage/storageAccounts'", (string)table["scope"]!);
        Assert.Contains(roles, r => Arm.Resolve(storage, (string)r["properties"]!["roleDefinitionId"]!).Contains(StorageBlobDataContributor));

        var vault = bicep.Arm("modules/keyvault.bicep");
        var reader = Arm.Single(vault, "Microsoft.Authorization/roleAssignments");
        Assert.Contains(KeyVaultSecretsUser, Arm.Resolve(vault, (string)reader["properties"]!["roleDefinitionId"]!));
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string)reader["properties"]!["principalId"]!);

        // The identity the roles go to is the one the container app runs as.
        var main = bicep.Arm("main.bicep");
        var modules = Arm.Resources(main, "Microsoft.Resources/deployments").ToDictionary(d => (string)d["name"]!);
        string Param(string module, string name) => (string)modules[module]["properties"]!["parameters"]![name]!["value"]!;
        Assert.Equal(Param("identity", "identityName"), Param("storage", "identityName"));
        Assert.Equal(Param("identity", "identityName"), Param("vault", "identityName"));
        Assert.Contains("'identity'", Param("apps", "identityId"));
    }

    [Fact]
    public void The_vault_uses_rbac_only_and_keeps_deleted_secrets()
    {
        var vault = Arm.Single(bicep.Arm("modules/keyvault.bicep"), "Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.Null(vault["accessPolicies"]);
        Assert.True((bool)vault["enableSoftDelete"]!);
        Assert.True((bool)vault["enablePurgeProtection"]!);
    }

    [Fact]
    public void The_api_is_reached_over_https_only_and_configured_without_any_key()
    {
        var apps = bicep.Arm("modules/containerapps.bicep");
        var app = Arm.Single(apps, "Microsoft.App/containerApps");
        var ingress = app["properties"]!["configuration"]!["ingress"]!;
        Assert.False((bool)ingress["allowInsecure"]!);
        Assert.True((bool)ingress["external"]!);
        Assert.Equal(8080, (int)ingress["targetPort"]!);
        Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);

        // Every secret comes from the vault through the identity; none has a value in the template.
        var secrets = apps["variables"]!["vaultSecrets"]!.ToJsonString();
        Assert.Contains("nir-secret", secrets);
        var secretTemplate = app["properties"]!["configuration"]!["copy"]!.AsArray().Single(c => (string?)c!["name"] == "secrets")!["input"]!;
        Assert.NotNull(secretTemplate["keyVaultUrl"]);
        Assert.NotNull(secretTemplate["identity"]);
        Assert.Null(secretTemplate["value"]);

        // Storage by token: the table service address and the identity, never a connection string or key.
        var settings = apps["variables"]!["plainSettings"]!.ToJsonString();
        Assert.Contains("Storage__ServiceUri", settings);
        Assert.Contains("Storage__ManagedIdentityClientId", settings);
        Assert.DoesNotContain("ConnectionString", apps.ToJsonString());
        Assert.DoesNotContain("AccountKey", apps.ToJsonString());
        Assert.Contains("AzureTable", settings);
    }

    [Fact]
    public void The_silo_count_is_fixed_by_the_size_parameters()
    {
        var app = Arm.Single(bicep.Arm("modules/containerapps.bicep"), "Microsoft.App/containerApps");
        var scale = app["properties"]!["template"]!["scale"]!;
        Assert.Equal("[parameters('siloCount')]", (string?)scale["minReplicas"]);
        Assert.Equal("[parameters('siloCount')]", (string?)scale["maxReplicas"]);
        var main = bicep.Arm("main.bicep")["parameters"]!;
        Assert.Equal(2, (int)main["siloCount"]!["defaultValue"]!);
        Assert.NotNull(main["department"]);
        Assert.Null(main["department"]!["defaultValue"]);
    }
}
