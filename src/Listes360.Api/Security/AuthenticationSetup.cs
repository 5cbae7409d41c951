using System.Text.Json;
using Listes360.Api.GraphQL;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Listes360.Api.Security;

public static class AuthenticationSetup
{
    public static IServiceCollection AddListes360Authentication(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
        if (settings.Authority is null && settings.SigningKey is null)
            throw new InvalidOperationException(
                "Aucune méthode de validation des jetons : renseignez Auth:Authority (fournisseur OIDC) ou Auth:SigningKey (développement ; ./listes360 up en crée une).");

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.Authority = settings.Authority;
            options.RequireHttpsMetadata = settings.Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? false;
            options.TokenValidationParameters = ValidationParameters(settings);
            options.Events = new JwtBearerEvents { OnChallenge = WriteUnauthenticatedAsync };
        });
        services.AddAuthorization();
        services.AddSingleton<UnauthenticatedAudit>();
        return services;
    }

    /// <summary>The token rules, shared by the API's bearer scheme and the web pages' session (Security/WebSignIn.cs).</summary>
    internal static TokenValidationParameters ValidationParameters(AuthSettings settings) => new()
    {
        ValidIssuer = settings.Issuer,
        ValidAudience = settings.Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = settings.Authority is null ? DevTokens.Key(settings.SigningKey!) : null,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = Listes360Claims.Name,
        RoleClaimType = Listes360Claims.Role,
    };

    /// <summary>401 in the API's own error shape, saying why the token was refused; audited (<see cref="UnauthenticatedAudit"/>).</summary>
    private static async Task WriteUnauthenticatedAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var reason = context.AuthenticateFailure switch
        {
            null => "Authentification requise : envoyez un jeton dans l'en-tête « Authorization: Bearer … » (./listes360 token en produit un en développement).",
            SecurityTokenExpiredException => "Jeton expiré : demandez-en un nouveau.",
            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "Jeton refusé : signature invalide.",
            SecurityTokenInvalidAudienceException => "Jeton refusé : il n'est pas destiné à Listes360 (audience).",
            SecurityTokenInvalidIssuerException => "Jeton refusé : émetteur inconnu.",
            SecurityTokenNotYetValidException => "Jeton refusé : il n'est pas encore valide (vérifiez l'horloge de l'émetteur).",
            SecurityTokenNoExpirationException => "Jeton refusé : il n'a pas de date d'expiration.",
            SecurityTokenMalformedException or ArgumentException => "Jeton illisible : un jeton JWT compte trois parties en base64url séparées par des points.",
            _ => "Jeton refusé : il n'a pas pu être validé.",
        };
        if (context.AuthenticateFailure is { } failure)
        {
            // The library's diagnostics (IDX… codes, in English) help the operator, not the caller.
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Listes360.Authentication")
                .LogInformation("Jeton refusé ({Reason}) : {Detail}", failure.GetType().Name, failure.Message);
        }
        // Every 401 is audited (subject « anonyme »), aggregated per source and minute so that a flood cannot fill the trail.
        await context.HttpContext.RequestServices.GetRequiredService<UnauthenticatedAudit>()
            .RecordAsync(ApiAudit.SourceOf(context.HttpContext), context.Request.Path.Value ?? "", reason);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        context.Response.ContentType = GraphQLHttpEndpoint.ResponseMediaType + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            errors = new[] { new { message = reason, extensions = new { code = "UNAUTHENTICATED" } } },
        }, GraphQLRegistration.JsonOptions);
    }
}
