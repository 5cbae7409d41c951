using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Grains.Registry;

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
    public QueryType()
    {
        Name = "Query";
        Field<EsmsType>("esms")
            .Description("Un ESMS par son numéro FINESS ; null s'il n'est pas enregistré.")
            .Argument<NonNullGraphType<StringGraphType>>("finess", "Numéro FINESS (9 caractères).")
            .ResolveAsync(async context =>
            {
                var finess = FinessNumber.Parse(context.GetArgument<string>("finess"));
                return await context.Grains().GetGrain<IEsmsGrain>(finess.Value).GetAsync();
            });
        AuditFields.AddTo(this);
    }
}

public sealed class MutationType : ObjectGraphType
{
    public MutationType(TimeProvider clock)
    {
        Name = "Mutation";
        Field<NonNullGraphType<EsmsType>>("registerEsms")
            .Description("Enregistre un ESMS ou met à jour son identité ; un enregistrement identique ne change rien.")
            .Argument<NonNullGraphType<RegisterEsmsInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<Dictionary<string, object?>>("input");
                var finess = FinessNumber.Parse(input["finess"] as string);
                var registration = new EsmsRegistration((string)input["name"]!, (string)input["category"]!);
                return await context.Grains().GetGrain<IEsmsGrain>(finess.Value).RegisterAsync(registration, context.Caller());
            });

        Field<NonNullGraphType<EsmsType>>("setEsmsPlaces")
            .Description("Déclare les places d'un ESMS pour une modalité d'accueil ; l'historique garde l'état précédent.")
            .Argument<NonNullGraphType<SetEsmsPlacesInputType>>("input")
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<Dictionary<string, object?>>("input");
                var finess = FinessNumber.Parse(input["finess"] as string);
                var effective = input.GetValueOrDefault("effectiveDate") as DateOnly? ?? DateOnly.FromDateTime(clock.GetLocalNow().Date);
                return await context.Grains().GetGrain<IEsmsGrain>(finess.Value).SetPlacesAsync(
                    (Modality)input["modality"]!, (int)input["capacity"]!, (int)input["occupied"]!, effective, context.Caller());
            });
    }
}

internal static class ResolveFieldContextExtensions
{
    public static IGrainFactory Grains(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IGrainFactory>();

    /// <summary>Who is acting, for histories and audit; anonymous until authentication exists.</summary>
    public static string Caller(this IResolveFieldContext context) =>
        context.User?.Identity?.Name ?? "anonyme";
}
