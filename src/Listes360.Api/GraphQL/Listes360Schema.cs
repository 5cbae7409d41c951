using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Registry;
using Listes360.Domain.Time;

namespace Listes360.Api.GraphQL;

public sealed class Listes360Schema : Schema
{
    public Listes360Schema(IServiceProvider services, QueryType query, MutationType mutation) : base(services)
    {
        Description = "Listes360 : liste d'attente départementale partagée des ESMS et harmonisation des admissions.";
        Query = query;
        Mutation = mutation;
    }
}

public sealed class QueryType : ObjectGraphType
{
    public QueryType(TimeProvider clock)
    {
        Name = "Query";
        Description = "Lectures. Chaque champ dit les rôles qui peuvent l'utiliser.";
        Field<EsmsType>("esms")
            .Description("Un ESMS par son numéro FINESS ; null s'il n'est pas enregistré. Rôles : tous (esms-director : ses ESMS ; les autres : leur département).")
            .Argument<NonNullGraphType<StringGraphType>>("finess", "Numéro FINESS (9 caractères).")
            .ResolveAsync(async context =>
            {
                var finess = FinessNumber.Parse(context.GetArgument<string>("finess"));
                return await context.Grains().GetGrain<IEsmsGrain>(finess.Value).GetAsync();
            });
        Field<NonNullGraphType<EsmsSummaryConnectionType>>("esmsList")
            .Description("Les ESMS d'un département, par numéro FINESS. Rôles : tous, dans leur département.")
            .Argument<NonNullGraphType<StringGraphType>>("department", "Code du département (61, 2A…).")
            .Argument<StringGraphType>("territory", "Seulement ce territoire (code SIREN de l'EPCI).")
            .Argument<KindOfSupportType>("kind", "Seulement ce type d'accompagnement.")
            .Paged()
            .ResolveAsync(async context => Connections.Of(await context.Grains().GetGrain<IDepartmentRegistryGrain>(Department(context.GetArgument<string>("department")))
                .ListEsmsAsync(context.GetArgument<string?>("territory"), context.GetArgument<KindOfSupport?>("kind"),
                    context.After(), context.First()), e => e.Finess, context.After()));
        PersonFields.AddQueries(this);
        MaintenanceFields.AddQueries(this);
        IdentityFields.AddQueries(this);
        SequentialFields.AddQueries(this, clock);
        RiskFields.AddQueries(this);
        AuditFields.AddTo(this);
        GridFields.AddQueries(this);
        NodeFields.AddQueries(this);
    }

    internal static string Department(string? code) =>
        Domain.Geography.DepartmentCodes.Normalize(code)
        ?? throw new DomainException("INVALID_DEPARTMENT", $"« {code} » n'est pas un code de département (01 à 95, 2A, 2B, 971 à 978, 984 à 988).", "department");
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType(TimeProvider clock)
    {
        Name = "Mutation";
        Description = "Écritures. Chaque champ dit les rôles qui peuvent l'utiliser ; un refus ne change rien.";
        Field<NonNullGraphType<EsmsType>>("registerEsms")
            .Description("Enregistre un ESMS ou met à jour son identité ; un enregistrement identique ne change rien. Rôle : admin.")
            .Argument<NonNullGraphType<RegisterEsmsInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<Dictionary<string, object?>>("input");
                var request = new EsmsRegistrationRequest(
                    (string)input["finess"]!, (string)input["name"]!, (string)input["category"]!,
                    input.GetValueOrDefault("postcode") as string, input.GetValueOrDefault("commune") as string,
                    input.GetValueOrDefault("ageFrom") as int?, input.GetValueOrDefault("ageUntil") as int?,
                    (input.GetValueOrDefault("modalities") as IEnumerable<object>)?.Cast<Modality>().ToList());
                var profile = request.ToProfile();
                var result = await context.Grains().GetGrain<IEsmsGrain>(profile.Finess.Value).RegisterAsync(profile, context.Caller());
                return result.Esms;
            });

        Field<NonNullGraphType<EsmsType>>("setEsmsPlaces")
            .Description("Déclare les places d'un ESMS pour une modalité d'accueil ; l'historique garde l'état précédent. Rôles : esms-director (son ESMS), admin.")
            .Argument<NonNullGraphType<SetEsmsPlacesInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<Dictionary<string, object?>>("input");
                var finess = FinessNumber.Parse(input["finess"] as string);
                var effective = input.GetValueOrDefault("effectiveDate") as DateOnly? ?? ParisDate.Today(clock);
                return await context.Grains().GetGrain<IEsmsGrain>(finess.Value).SetPlacesAsync(
                    (Modality)input["modality"]!, (int)input["capacity"]!, (int)input["occupied"]!, effective, context.Caller());
            });
        PersonFields.AddMutations(this, clock);
        MaintenanceFields.AddMutations(this);
        IdentityFields.AddMutations(this, clock);
        SequentialFields.AddMutations(this, clock);
        GridFields.AddMutations(this, clock);
    }
}

internal static class ResolveFieldContextExtensions
{
    public static IGrainFactory Grains(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IGrainFactory>();

    /// <summary>The request's batching loaders of grain reads (one set per request).</summary>
    public static GrainLoaders Loaders(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<GrainLoaders>();

    /// <summary>Who is acting, for histories and audit; anonymous until authentication exists.</summary>
    public static string Caller(this IResolveFieldContext context) =>
        context.User?.Identity?.Name ?? "anonyme";
}
