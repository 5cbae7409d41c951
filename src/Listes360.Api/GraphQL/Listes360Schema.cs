using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Registry;
using Listes360.Domain.Time;
using Listes360.Application.Registry;

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
        WaitingListFields.AddQueries(this);
        VacancyFields.AddQueries(this);
    }

    internal static string Department(string? code) => Domain.Geography.DepartmentCodes.Parse(code);
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        Description = "Écritures. Chaque champ prend un seul argument input et rend un type XxxPayload ; il dit les rôles qui peuvent l'utiliser ; un refus ne change rien.";
        Field<NonNullGraphType<RegisterEsmsPayloadType>>("registerEsms")
            .Description("Enregistre un ESMS ou met à jour son identité ; un enregistrement identique ne change rien. Rôle : admin.")
            .Argument<NonNullGraphType<RegisterEsmsInputType>>("input")
            .ResolveAsync(c => c.RunAsync<RegisterEsms, EsmsRegistrationRequest, EsmsResult>());

        Field<NonNullGraphType<SetEsmsPlacesPayloadType>>("setEsmsPlaces")
            .Description("Déclare les places d'un ESMS pour une modalité d'accueil ; l'historique garde l'état précédent. Rôles : esms-director (son ESMS), admin.")
            .Argument<NonNullGraphType<SetEsmsPlacesInputType>>("input")
            .ResolveAsync(c => c.RunAsync<SetEsmsPlaces, SetEsmsPlacesInput, EsmsResult>());
        PersonFields.AddMutations(this);
        MaintenanceFields.AddMutations(this);
        IdentityFields.AddMutations(this);
        SequentialFields.AddMutations(this);
        GridFields.AddMutations(this);
        VacancyFields.AddMutations(this);
    }
}

internal static class ResolveFieldContextExtensions
{
    public static IGrainFactory Grains(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IGrainFactory>();

    /// <summary>The request's batching loaders of grain reads (one set per request).</summary>
    public static GrainLoaders Loaders(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<GrainLoaders>();

}
