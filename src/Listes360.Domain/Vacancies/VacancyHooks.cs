using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Listes360.Domain.Vacancies;

/// <summary>The signed webhook of one ESMS (per FINESS): where to post, and the secret that signs (never shown again, never logged).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyHookSettings")]
public sealed record VacancyHookSettings
{
    [Id(0)] public required string Url { get; init; }
    [Id(1)] public required string Secret { get; init; }
    [Id(2)] public required string SetBy { get; init; }
    [Id(3)] public required DateTimeOffset SetAt { get; init; }
}

/// <summary>One notification to post: its id (the vacancy and its version: a receiver drops a repeat), event and body (no names).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyHookMessage")]
public sealed record VacancyHookMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string Event,
    [property: Id(2)] string Body,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>A message waiting to be posted: how many attempts failed, when the next one is due.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.PendingHookMessage")]
public sealed record PendingHookMessage(
    [property: Id(0)] VacancyHookMessage Message,
    [property: Id(1)] int Attempts,
    [property: Id(2)] DateTimeOffset NextAttemptAt);

/// <summary>One attempt to post a message, for the delivery log (no secret, no URL: the status or the error's kind).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.HookDelivery")]
public sealed record HookDelivery(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Event,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] int Attempt,
    [property: Id(4)] bool Delivered,
    [property: Id(5)] int? StatusCode,
    [property: Id(6)] string Outcome);

/// <summary>The rules of the signed webhooks: URL, secret, signature, message, backoff. Pure.</summary>
public static class VacancyHookRules
{
    public const string SignatureHeader = "X-Listes360-Signature";
    public const string EventHeader = "X-Listes360-Event";
    public const string MessageIdHeader = "X-Listes360-Message-Id";
    public const int MaxUrlLength = 500;
    public const int MinSecretLength = 32;
    public const int MaxSecretLength = 200;
    public const int MaxPending = 500;
    public const int LogKept = 50;
    /// <summary>Past this age a message is given up, said in the delivery log and the service's log.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(15);

    /// <summary>An absolute https URL, or http to the loopback address (a receiver on the same machine); no user or password in it.</summary>
    public static string ValidUrl(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxUrlLength || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw new DomainException("INVALID_HOOK_URL", $"L'adresse du webhook doit être une URL absolue de {MaxUrlLength} caractères au plus.", "url");
        if (uri.UserInfo.Length > 0)
            throw new DomainException("INVALID_HOOK_URL", "L'adresse du webhook ne doit pas contenir d'identifiant ni de mot de passe : la signature authentifie les envois.", "url");
        if (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)
            return uri.AbsoluteUri;
        throw new DomainException("INVALID_HOOK_URL",
            $"L'adresse du webhook doit être en https (reçu : « {uri.Scheme} ») ; http n'est admis que vers la machine elle-même (127.0.0.1, localhost).", "url");
    }

    /// <summary>A secret given by the caller: 32 to 200 printable ASCII characters.</summary>
    public static string ValidSecret(string secret)
    {
        if (secret.Length is < MinSecretLength or > MaxSecretLength || secret.Any(c => c is < '!' or > '~'))
            throw new DomainException("INVALID_HOOK_SECRET",
                $"Le secret du webhook doit compter de {MinSecretLength} à {MaxSecretLength} caractères ASCII imprimables, sans espace ; laissez-le vide pour qu'un secret soit tiré au hasard.", "secret");
        return secret;
    }

    /// <summary>A secret from 32 random bytes (base64url, 43 characters).</summary>
    public static string SecretFrom(ReadOnlySpan<byte> random) =>
        Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The header <c>X-Listes360-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>: v1 is the HMAC-SHA256, keyed by the
    /// ESMS's secret, of <c>t</c>, a dot and the body's UTF-8 bytes (the timestamp is signed with the body: a replayed
    /// request with a new time does not verify).
    /// </summary>
    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Hmac(secret, t, body)}";
    }

    /// <summary>What a receiver checks: the header's form, the signature over its time and the body, and the time within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string? header, string secret, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hmac(secret, t, body)), Encoding.ASCII.GetBytes(v1));
    }

    private static string Hmac(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)));

    /// <summary>Exponential: 2 s, 4 s, 8 s… up to 15 minutes between attempts.</summary>
    public static DateTimeOffset NextAttempt(int failedAttempts, DateTimeOffset now)
    {
        var seconds = FirstRetry.TotalSeconds * Math.Pow(2, Math.Min(Math.Max(failedAttempts - 1, 0), 20));
        return now + TimeSpan.FromSeconds(Math.Min(seconds, MaxRetry.TotalSeconds));
    }

    /// <summary>
    /// The message of a vacancy's change (its last step), or null when nothing is worth telling. No names, no
    /// person ids: the vacancy, its status, the number of proposed candidates and the pending offer's deadline.
    /// </summary>
    public static VacancyHookMessage? MessageOf(Vacancy vacancy, DateTimeOffset at)
    {
        if (vacancy.Steps.IsDefaultOrEmpty)
            return null;
        var step = vacancy.Steps[^1];
        var proposed = vacancy.NotYetOffered.Count;
        var text = vacancy.Status switch
        {
            VacancyStatus.Open => $"Place libérée : {proposed} candidat(s) proposé(s).",
            VacancyStatus.Offered => $"Place libérée proposée : réponse attendue au plus tard le {vacancy.PendingOffer?.Deadline:dd/MM/yyyy}.",
            VacancyStatus.Filled => "Place libérée pourvue.",
            _ => "Place libérée retirée.",
        };
        var body = JsonSerializer.Serialize(new
        {
            id = $"{vacancy.Id}/{vacancy.Version}",
            @event = "vacancy." + step.Code.ToLowerInvariant(),
            at = at.ToString("O", CultureInfo.InvariantCulture),
            vacancy = new
            {
                id = vacancy.Id,
                finess = vacancy.Finess.Value,
                modality = vacancy.Modality.ToString(),
                status = vacancy.Status.ToString(),
                openedOn = vacancy.OpenedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                closedOn = vacancy.ClosedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                proposedCandidates = proposed,
                offerDeadline = vacancy.PendingOffer?.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                chainRoot = vacancy.Chain?.Root,
                chainIndex = vacancy.Chain?.Index,
                version = vacancy.Version,
            },
            text,
            step = step.Text,
        });
        return new VacancyHookMessage($"{vacancy.Id}/{vacancy.Version}", "vacancy." + step.Code.ToLowerInvariant(), body, at);
    }

    /// <summary>The delivery log after one attempt: the most recent <see cref="LogKept"/>.</summary>
    public static ImmutableArray<HookDelivery> Log(ImmutableArray<HookDelivery> log, HookDelivery attempt)
    {
        var all = (log.IsDefault ? [] : log).Add(attempt);
        return all.Length > LogKept ? all.RemoveRange(0, all.Length - LogKept) : all;
    }
}
