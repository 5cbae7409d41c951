// The conventional peer of issue 20: what a département's IT department would build instead of Listes360 —
// the same model in PostgreSQL behind an ASP.NET Core minimal API (Npgsql), written to be fast.
//   dotnet run -c Release --project bench/peer -- serve [--department 59] [--port 5380] [--finess FILE]
//   dotnet run -c Release --project bench/peer -- smoke [--department 59] [--persons 20000]
// `serve` starts its own PostgreSQL cluster (Debian's postgresql; initdb in a temporary folder, a free
// loopback port; stopped and deleted at the end), loads the département's real ESMS from the FINESS
// extract (--finess, $LISTES360_FINESS_FILE or ../shared/data/finess: benchmarks may read it), prints the API's address and a bearer token,
// and serves until Ctrl-C. Operations: (a) POST /esms/{finess}/list, (b) GET /esms/{finess}/ranking,
// (c) POST /candidatures/{id}/admission, (d) GET /departments/{d}/counts, (e) GET /departments/{d}/waiting-list,
// (f) GET /departments/{d}/sequential-search (data: POST /esms/{finess}/availability, POST /sequential-needs,
// POST /candidatures/reviewed). bench/side-by-side drives it beside Listes360.
// Lists are onboarded over HTTP (POST /esms/{finess}/list, the CSV as body),
// as Listes360's are through its import. `smoke` does the same, onboards the SIMULATED lists of
// DemoPopulation (the ones `listes360 seed` writes) through its own HTTP API, and calls each operation
// once: a check that the peer answers, not a measurement (the side-by-side run measures).
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Listes360.Bench.Peer;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using Listes360.Imports.Lists;
using Listes360.Imports.Registry;
using Listes360.Imports.Simulation;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var mode = args.FirstOrDefault() ?? "serve";
var department = Arg("--department") ?? "59";
var port = int.Parse(Arg("--port") ?? (mode == "smoke" ? "0" : "5380"), CultureInfo.InvariantCulture);
var persons = int.Parse(Arg("--persons") ?? "20000", CultureInfo.InvariantCulture);
var finessFile = Arg("--finess") ?? Environment.GetEnvironmentVariable("LISTES360_FINESS_FILE")
    ?? new[] { Path.Combine(RepositoryRoot(), "..", "shared"), "/work/shared" }
        .Select(d => Path.Combine(d, "data", "finess", "finess_esms_ph_france_20210108.csv")).FirstOrDefault(File.Exists)
    ?? "../shared/data/finess/finess_esms_ph_france_20210108.csv";
var today = DateOnly.FromDateTime(DateTime.Today);

await using var postgres = await PostgresCluster.StartAsync(Console.Out);
var database = new NpgsqlDataSourceBuilder(postgres.ConnectionString).Build();
var registry = await PeerSchema.CreateAsync(database, department, finessFile, Console.Out);

var signingKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
{
    // The same validation Listes360's API does on each request (symmetric development key, issuer, audience, lifetime).
    options.MapInboundClaims = false;
    options.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = "listes360-peer", ValidAudience = "listes360-peer", IssuerSigningKey = signingKey,
        ValidateIssuer = true, ValidateAudience = true, ValidateLifetime = true, RequireExpirationTime = true, ValidateIssuerSigningKey = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
});
builder.Services.AddAuthorization(o => o.AddPolicy("department", p => p.RequireClaim("department", department)));
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

var onboarding = new PeerOnboarding(database, department);
var queries = new PeerQueries(database, department);
var hasher = new NirHasher(RandomNumberGenerator.GetBytes(32));
var sequential = new PeerSequential(database, department, registry);

app.MapPost("/esms/{finess}/list", async (string finess, HttpRequest request, CancellationToken token) =>
{
    if (!FinessNumber.TryParse(finess, out var number, out _) || !registry.ContainsKey(number.Value))
        return Results.NotFound(new { error = $"L'ESMS {finess} n'est pas au répertoire du département {department}." });
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, token);
    var file = CandidatureListReader.Read(body.ToArray(), $"liste-{finess}.csv", hasher, today);
    var report = await onboarding.ImportAsync(number, file.Rows, token);
    return Results.Ok(new { report.Rows, report.Matched, report.Created, report.CandidaturesCreated, rejected = file.Errors.Count });
}).RequireAuthorization("department");
app.MapGet("/esms/{finess}/ranking", async (string finess, short modality, int? first, CancellationToken token) =>
    Results.Text(await queries.RankingAsync(finess, modality, today, Math.Clamp(first ?? 20, 1, 100), token), "application/json"))
    .RequireAuthorization("department");
app.MapPost("/candidatures/{id:long}/admission", async (long id, CancellationToken token) =>
    await queries.AdmitAsync(id, today, token) is { } json
        ? Results.Text(json, "application/json")
        : Results.Conflict(new { error = $"La candidature {id} n'est pas ouverte : elle ne peut pas être admise." }))
    .RequireAuthorization("department");
app.MapGet("/departments/{d}/counts", async (string d, CancellationToken token) =>
    d == department ? Results.Text(await queries.CountsAsync(token), "application/json") : Results.NotFound())
    .RequireAuthorization("department");
app.MapGet("/departments/{d}/waiting-list", async (string d, string? territory, short? kind, string? search, int? first, int? after, CancellationToken token) =>
    d == department
        ? Results.Text(await queries.WaitingListAsync(territory, kind, search, Math.Clamp(first ?? 50, 1, 200), Math.Max(0, after ?? 0), token), "application/json")
        : Results.NotFound())
    .RequireAuthorization("department");
app.MapGet("/departments/{d}/sequential-search", async (string d, string? territory, int? maxStructures, int? first, CancellationToken token) =>
    d != department ? Results.NotFound()
    : maxStructures is < 1 or > SequentialQuery.MaxMaxStructures
        ? Results.BadRequest(new { error = $"Le nombre maximal de structures par combinaison doit être compris entre 1 et {SequentialQuery.MaxMaxStructures}." })
        : Results.Text(await sequential.SearchAsync(string.IsNullOrWhiteSpace(territory) ? null : territory, today,
            maxStructures ?? SequentialQuery.DefaultMaxStructures, Math.Clamp(first ?? 50, 1, 200), token), "application/json"))
    .RequireAuthorization("department");
app.MapPost("/esms/{finess}/availability", async (string finess, AvailabilityRequest body, CancellationToken token) =>
    await sequential.DeclareAsync(finess, body.Modality, body.HalfDays, body.Places, today, token)
        ? Results.Ok()
        : Results.BadRequest(new { error = $"Disponibilité refusée pour l'ESMS {finess} : modalité non proposée, jours ou places invalides." }))
    .RequireAuthorization("department");
app.MapPost("/sequential-needs", async (PeerNeed[] needs, CancellationToken token) =>
    needs.Any(n => n.Amount < 1 || n.Amount > (n.Unit == 1 ? 7 : 14) || n.Modalities.Length == 0)
        ? Results.BadRequest(new { error = "Besoin invalide : 1 à 7 jours ou 1 à 14 demi-journées, au moins une modalité." })
        : Results.Ok(new { persons = await sequential.SetNeedsAsync(needs, today, token) }))
    .RequireAuthorization("department");
app.MapPost("/candidatures/reviewed", async (PeerReviewed[] reviewed, CancellationToken token) =>
    Results.Ok(new { candidatures = await sequential.MarkWaitingAsync(reviewed, today, token) }))
    .RequireAuthorization("department");

await app.StartAsync();
var address = app.Urls.First();
var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
{
    Issuer = "listes360-peer", Audience = "listes360-peer", Expires = DateTime.UtcNow.AddHours(12),
    Subject = new ClaimsIdentity([new Claim("sub", "bench"), new Claim("department", department)]),
    SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.HmacSha256),
});
Console.WriteLine($"Pair PostgreSQL du département {department} : {address} ({registry.Count} ESMS).");
Console.WriteLine($"Jeton : {token}");

if (mode == "smoke")
{
    using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var profiles = registry.Values.ToList();
    var lists = DemoPopulation.Generate(profiles, persons, today, seed: 59_2026);
    Console.WriteLine($"{persons} personnes SIMULÉES, {lists.Sum(l => l.Rows)} lignes dans {lists.Count} listes.");
    var watch = Stopwatch.StartNew();
    foreach (var list in lists)
    {
        using var response = await http.PostAsync($"/esms/{list.Finess}/list", new ByteArrayContent(list.Content));
        response.EnsureSuccessStatusCode();
    }
    Console.WriteLine($"(a) onboarding : {watch.Elapsed.TotalSeconds:F1} s ({lists.Sum(l => l.Rows) / watch.Elapsed.TotalSeconds:F0} lignes/s).");
    var counts = await http.GetStringAsync($"/departments/{department}/counts");
    Console.WriteLine($"(d) {counts[..Math.Min(200, counts.Length)]}…");
    var busiest = lists.OrderByDescending(l => l.Rows).First();
    var ranking = await http.GetStringAsync($"/esms/{busiest.Finess}/ranking?modality=1&first=20");
    Console.WriteLine($"(b) {ranking[..Math.Min(300, ranking.Length)]}…");
    var page = await http.GetStringAsync($"/departments/{department}/waiting-list?search=dupont");
    Console.WriteLine($"(e) {page[..Math.Min(300, page.Length)]}…");
    await using var first = database.CreateCommand("select min(id) from candidature where status between 1 and 5");
    var id = (long)(await first.ExecuteScalarAsync())!;
    using var admitted = await http.PostAsync($"/candidatures/{id}/admission", null);
    Console.WriteLine($"(c) {(int)admitted.StatusCode} {await admitted.Content.ReadAsStringAsync()}");
    using var again = await http.PostAsync($"/candidatures/{id}/admission", null);
    Console.WriteLine($"(c) again: {(int)again.StatusCode} {await again.Content.ReadAsStringAsync()}");
}
else
{
    var done = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
    await done.Task;
}
await app.StopAsync();

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Listes360.sln")))
            return dir.FullName;
    throw new InvalidOperationException("Racine du dépôt introuvable (Listes360.sln).");
}
