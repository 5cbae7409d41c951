namespace Listes360.Fhir.SdoClient;

/// <summary>
/// The service as a client of the SI-SDO (section <c>SdoClient</c>): off by default. When on, the
/// département's status changes are sent as SDOTasks to <see cref="BaseUrl"/> and flow 5.1 is polled
/// there, with a bearer token (<see cref="Token"/>) or OAuth2 client credentials (<see cref="TokenUrl"/>,
/// <see cref="ClientId"/>, <see cref="ClientSecret"/>).
/// </summary>
public sealed class SdoClientOptions
{
    public const string Section = "SdoClient";

    public bool Enabled { get; set; }
    /// <summary>The SI-SDO's FHIR base, e.g. <c>https://sdo.example.fr/fhir</c>.</summary>
    public string? BaseUrl { get; set; }
    /// <summary>A fixed bearer token (given by the SI-SDO's operator).</summary>
    public string? Token { get; set; }
    /// <summary>OAuth2 token endpoint for the client-credentials grant (instead of <see cref="Token"/>).</summary>
    public string? TokenUrl { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? Scope { get; set; }
    /// <summary>The départements whose statuses this service reports (codes, e.g. <c>61</c>).</summary>
    public string[] Departments { get; set; } = [];
    /// <summary>How often the queue is looked at (due sends).</summary>
    public double TickSeconds { get; set; } = 5;
    /// <summary>How often flow 5.1 is polled.</summary>
    public double PollSeconds { get; set; } = 300;
    /// <summary>First retry delay after a transient failure; doubled each attempt up to <see cref="MaxRetrySeconds"/>.</summary>
    public double FirstRetrySeconds { get; set; } = 5;
    public double MaxRetrySeconds { get; set; } = 900;
    /// <summary>Timeout of one HTTP call to the SI-SDO.</summary>
    public double TimeoutSeconds { get; set; } = 15;
    /// <summary>At most this many Tasks sent per tick (the grain answers its callers between ticks).</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>The French reasons the configuration cannot be used (empty when off or fine).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Enabled)
            return problems;
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            problems.Add($"{Section}:BaseUrl « {BaseUrl} » n'est pas une adresse http(s) absolue (la base FHIR du SI-SDO).");
        var clientCredentials = !string.IsNullOrWhiteSpace(TokenUrl);
        if (string.IsNullOrWhiteSpace(Token) && !clientCredentials)
            problems.Add($"{Section} : ni jeton ({Section}:Token) ni identifiants client ({Section}:TokenUrl, ClientId, ClientSecret) : le SI-SDO refuserait tout appel.");
        if (clientCredentials && (!Uri.TryCreate(TokenUrl, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(ClientSecret)))
            problems.Add($"{Section} : TokenUrl doit être une adresse absolue et ClientId et ClientSecret sont obligatoires avec elle.");
        if (Departments.Length == 0 || Departments.Any(d => Listes360.Domain.Geography.DepartmentCodes.Normalize(d) is null))
            problems.Add($"{Section}:Departments doit nommer les départements dont les statuts sont envoyés (codes, ex. 61) ; reçu « {string.Join(", ", Departments)} ».");
        if (TickSeconds <= 0 || PollSeconds <= 0 || FirstRetrySeconds <= 0 || MaxRetrySeconds < FirstRetrySeconds || TimeoutSeconds <= 0 || BatchSize <= 0)
            problems.Add($"{Section} : TickSeconds, PollSeconds, FirstRetrySeconds, TimeoutSeconds et BatchSize doivent être positifs, et MaxRetrySeconds au moins FirstRetrySeconds.");
        return problems;
    }
}

/// <summary>The retry rule of the SI-SDO client, as pure functions.</summary>
public static class SdoRetry
{
    /// <summary>Delay before attempt <paramref name="attempts"/> + 1: first, then doubled, capped.</summary>
    public static TimeSpan Delay(int attempts, SdoClientOptions options)
    {
        var seconds = options.FirstRetrySeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.MaxRetrySeconds));
    }

    /// <summary>A refusal of the SI-SDO worth retrying (it is down, overloaded, or timed out) rather than a refusal of the Task.</summary>
    public static bool IsTransient(int httpStatus) => httpStatus is 408 or 425 or 429 or >= 500;
}
