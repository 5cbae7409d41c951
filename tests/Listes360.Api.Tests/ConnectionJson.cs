using System.Text.Json;

namespace Listes360.Api.Tests;

/// <summary>Reading a Relay connection of an answer: its nodes, and the cursor of the next page.</summary>
internal static class ConnectionJson
{
    /// <summary>The nodes of <c>edges { node }</c>, in order.</summary>
    public static IEnumerable<JsonElement> Nodes(this JsonElement connection) =>
        connection.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"));

    /// <summary><c>pageInfo.endCursor</c> when <c>pageInfo.hasNextPage</c>, else null.</summary>
    public static string? NextAfter(this JsonElement connection)
    {
        var info = connection.GetProperty("pageInfo");
        return info.GetProperty("hasNextPage").GetBoolean() ? info.GetProperty("endCursor").GetString() : null;
    }
}
