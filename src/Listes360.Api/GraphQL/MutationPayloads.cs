using GraphQL;
using GraphQL.Types;
using Listes360.Application;
using Listes360.Application.Grid;
using Listes360.Application.Identity;
using Listes360.Application.Maintenance;
using Listes360.Application.Persons;
using Listes360.Application.Registry;
using Listes360.Application.Sequential;
using Listes360.Domain;
using Listes360.Grains.Persons;
using Listes360.Grains.Security;

namespace Listes360.Api.GraphQL;

/// <summary>
/// How a mutation runs: its one <c>input</c> argument, already a typed record (each input graph type is
/// bound to its record), is handed to its use case with the caller; the use case's result is the payload's source.
/// </summary>
internal static class UseCaseResolver
{
    public static async Task<object?> RunAsync<TUseCase, TInput, TResult>(this IResolveFieldContext context)
        where TUseCase : IUseCase<TInput, TResult>
        where TResult : class =>
        await context.RequestServices!.GetRequiredService<TUseCase>().ExecuteAsync(context.GetArgument<TInput>("input"), context.Acting());

    /// <summary>The caller the endpoint authenticated (the same refusal as the grains' filter without one).</summary>
    public static Domain.Security.Caller Acting(this IResolveFieldContext context) =>
        CallerContext.Current ?? throw new DomainException("FORBIDDEN", "Accès refusé : appel sans identité.");
}

public sealed class CreatePersonPayloadType : ObjectGraphType<CreatePersonResult>
{
    public CreatePersonPayloadType()
    {
        Name = "CreatePersonPayload";
        Description = "La personne créée, ou la personne déjà connue que l'identité désigne (renvoyée telle quelle).";
        Field(r => r.Person, type: typeof(NonNullGraphType<PersonType>));
    }
}

/// <summary>The payload of a mutation whose result is the person it changed.</summary>
public abstract class PersonPayloadType : ObjectGraphType<PersonResult>
{
    protected PersonPayloadType(string name, string description)
    {
        Name = name;
        Description = description;
        Field(r => r.Person, type: typeof(NonNullGraphType<PersonType>)).Description("La personne après la modification.");
    }
}

public sealed class UpdatePersonSituationPayloadType() : PersonPayloadType("UpdatePersonSituationPayload", "La personne avec sa nouvelle situation.");

public sealed class AddOrientationPayloadType() : PersonPayloadType("AddOrientationPayload", "La personne avec la décision d'orientation enregistrée.");

public sealed class SetUrgencyPayloadType() : PersonPayloadType("SetUrgencyPayload", "La personne avec son urgence signalée ou levée.");

/// <summary>The payload of a mutation on one candidature: the candidature and its person.</summary>
public abstract class CandidaturePayloadType : ObjectGraphType<CandidatureResult>
{
    protected CandidaturePayloadType(string name, string description, bool candidatureAlwaysShown)
    {
        Name = name;
        Description = description;
        Field(r => r.Candidature, type: candidatureAlwaysShown ? typeof(NonNullGraphType<CandidatureType>) : typeof(CandidatureType))
            .Description("La candidature après la modification.");
        Field<PersonType>("person").Description("Sa personne, avec toutes les candidatures que l'appelant peut voir (lecture tracée).")
            .ResolveAsync(async c => c.Source.Person ?? await c.Grains().GetGrain<IPersonGrain>(c.Source.PersonId).GetAsync());
    }
}

public sealed class CreateCandidaturePayloadType() : CandidaturePayloadType("CreateCandidaturePayload", "La candidature créée (ou déjà existante, inchangée) et sa personne.", true);

public sealed class ChangeCandidatureStatusPayloadType() : CandidaturePayloadType("ChangeCandidatureStatusPayload", "La candidature dans son nouveau statut et sa personne (une admission a pu clore ses autres candidatures).", false);

public sealed class ResolveSolutionElsewherePayloadType() : CandidaturePayloadType("ResolveSolutionElsewherePayload", "La candidature après la décision et sa personne.", false);

/// <summary>The payload of a mutation whose result is the ESMS it changed.</summary>
public abstract class EsmsPayloadType : ObjectGraphType<EsmsResult>
{
    protected EsmsPayloadType(string name, string description)
    {
        Name = name;
        Description = description;
        Field(r => r.Esms, type: typeof(NonNullGraphType<EsmsType>)).Description("L'ESMS après la modification.");
    }
}

public sealed class RegisterEsmsPayloadType : EsmsPayloadType
{
    public RegisterEsmsPayloadType() : base("RegisterEsmsPayload", "L'ESMS enregistré.") =>
        Field(r => r.Changed).Description("Faux si l'enregistrement était identique à celui connu (rien n'a changé).");
}

public sealed class SetEsmsPlacesPayloadType() : EsmsPayloadType("SetEsmsPlacesPayload", "L'ESMS avec ses places déclarées.");

public sealed class ReconcileDepartmentPayloadType : ObjectGraphType<ReconcileDepartmentResult>
{
    public ReconcileDepartmentPayloadType()
    {
        Name = "ReconcileDepartmentPayload";
        Description = "La passe lancée, ou celle déjà en cours.";
        Field(r => r.Pass, type: typeof(NonNullGraphType<ReconcilePassType>));
    }
}

public sealed class ImportCandidatureListPayloadType : ObjectGraphType<ImportCandidatureListResult>
{
    public ImportCandidatureListPayloadType()
    {
        Name = "ImportCandidatureListPayload";
        Description = "Le compte rendu de l'import.";
        Field(r => r.Report, type: typeof(NonNullGraphType<ListImportReportType>));
    }
}

public sealed class ResolveReviewPayloadType : ObjectGraphType<ResolveReviewResult>
{
    public ResolveReviewPayloadType()
    {
        Name = "ResolveReviewPayload";
        Description = "Le doublon possible, traité.";
        Field(r => r.Item, type: typeof(NonNullGraphType<ReviewItemType>));
    }
}

/// <summary>The payload of a merge or a split.</summary>
public abstract class MergePayloadType : ObjectGraphType<MergeResult>
{
    protected MergePayloadType(string name, string description)
    {
        Name = name;
        Description = description;
        Field(r => r.Merge, type: typeof(NonNullGraphType<MergeRecordType>));
    }
}

public sealed class MergePersonsPayloadType() : MergePayloadType("MergePersonsPayload", "La fusion faite.");

public sealed class SplitPersonPayloadType() : MergePayloadType("SplitPersonPayload", "La fusion défaite.");

/// <summary>The payload of a mutation on an ESMS's free places for sequential stays.</summary>
public abstract class AvailabilityPayloadType : ObjectGraphType<AvailabilityResult>
{
    protected AvailabilityPayloadType(string name, string description)
    {
        Name = name;
        Description = description;
        Field(r => r.Availability, type: typeof(NonNullGraphType<EsmsAvailabilityType>)).Description("Les disponibilités de l'ESMS après la modification.");
    }
}

public sealed class DeclareAvailabilityPayloadType() : AvailabilityPayloadType("DeclareAvailabilityPayload", "Les places libres déclarées.");

public sealed class WithdrawAvailabilityPayloadType() : AvailabilityPayloadType("WithdrawAvailabilityPayload", "La déclaration retirée.");

public sealed class SetSequentialNeedsPayloadType : ObjectGraphType<SequentialNeedsResult>
{
    public SetSequentialNeedsPayloadType()
    {
        Name = "SetSequentialNeedsPayload";
        Description = "Le besoin d'accueil séquentiel déclaré.";
        Field<NonNullGraphType<SequentialNeedsType>>("needs").Resolve(c => c.Source.Needs);
    }
}

public sealed class RemoveSequentialNeedsPayloadType : ObjectGraphType<SequentialNeedsResult>
{
    public RemoveSequentialNeedsPayloadType()
    {
        Name = "RemoveSequentialNeedsPayload";
        Description = "Le besoin retiré : la personne sort de la recherche séquentielle.";
        Field<NonNullGraphType<IdGraphType>>("personId").Description("La personne dont le besoin est retiré.").Resolve(c => c.Source.PersonId);
    }
}

public sealed class ProposeSequentialPlacementPayloadType : ObjectGraphType<ProposalResult>
{
    public ProposeSequentialPlacementPayloadType()
    {
        Name = "ProposeSequentialPlacementPayload";
        Description = "La combinaison proposée.";
        Field(r => r.Proposal, type: typeof(NonNullGraphType<SequentialProposalType>));
    }
}

public sealed class PublishGridPayloadType : ObjectGraphType<PublishGridResult>
{
    public PublishGridPayloadType()
    {
        Name = "PublishGridPayload";
        Description = "La version publiée et le reclassement qu'elle a provoqué.";
        Field(r => r.Publication, type: typeof(NonNullGraphType<GridPublicationType>));
    }
}
