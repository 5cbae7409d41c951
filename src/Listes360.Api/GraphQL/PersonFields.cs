using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Grains.Department;
using Listes360.Grains.Persons;
using Listes360.Domain.Time;

namespace Listes360.Api.GraphQL;

public sealed class SituationInputType : InputObjectGraphType
{
    public SituationInputType()
    {
        Name = "SituationInput";
        Description = "Situation actuelle de la personne.";
        Field<NonNullGraphType<SituationKindType>>("kind");
        Field<NonNullGraphType<DateOnlyGraphType>>("since").Description("Depuis quand.");
        Field<StringGraphType>("esms").Description("FINESS de l'ESMS qui accueille la personne, s'il y en a un.");
        Field<StringGraphType>("note").Description("Précision libre (sans donnée de santé).");
    }
}

public sealed class CarerInputType : InputObjectGraphType
{
    public CarerInputType()
    {
        Name = "CarerInput";
        Description = "L'aidant principal ; son âge déclaré est converti en année de naissance.";
        Field<NonNullGraphType<CarerRelationshipType>>("relationship");
        Field<NonNullGraphType<IntGraphType>>("age").Description("Âge déclaré (5 à 120 ans).");
        Field<NonNullGraphType<CarerStatusType>>("status");
    }
}

public sealed class CreatePersonInputType : InputObjectGraphType
{
    public CreatePersonInputType()
    {
        Name = "CreatePersonInput";
        Description = "Une nouvelle personne du département.";
        Field<NonNullGraphType<StringGraphType>>("department").Description("Département (61…).");
        Field<NonNullGraphType<StringGraphType>>("birthName").Description("Nom de naissance.");
        Field<StringGraphType>("usageName").Description("Nom d'usage.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("firstNames").Description("Prénoms.");
        Field<NonNullGraphType<DateOnlyGraphType>>("birthDate");
        Field<NonNullGraphType<SexType>>("sex");
        Field<StringGraphType>("residenceCommune").Description("Code INSEE de la commune de résidence (5 caractères).");
        Field<StringGraphType>("mdphFileNumber").Description("Numéro de dossier MDPH.");
        Field<StringGraphType>("nir").Description("NIR (15 caractères, clé comprise) : vérifié, haché avec le secret du département, jamais conservé.");
        Field<SituationInputType>("situation");
        Field<CarerInputType>("carer");
        Field<BooleanGraphType>("consentToShare").Description("Consentement au partage de la demande entre ESMS (faux par défaut).");
    }
}

public sealed class UpdateSituationInputType : InputObjectGraphType
{
    public UpdateSituationInputType()
    {
        Name = "UpdateSituationInput";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<SituationInputType>>("situation");
        Field<CarerInputType>("carer").Description("L'aidant ; inchangé s'il est absent.");
    }
}

public sealed class AddOrientationInputType : InputObjectGraphType
{
    public AddOrientationInputType()
    {
        Name = "AddOrientationInput";
        Description = "Une décision d'orientation de la CDAPH.";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<StringGraphType>>("decisionReference").Description("Référence de la décision.");
        Field<NonNullGraphType<KindOfSupportType>>("kind");
        Field<NonNullGraphType<DateOnlyGraphType>>("validFrom");
        Field<DateOnlyGraphType>("validTo").Description("Fin de validité (incluse) ; absente si sans limite.");
        Field<ListGraphType<NonNullGraphType<ModalityType>>>("modalities").Description("Modalités précisées par la décision.");
    }
}

public sealed class CreateCandidatureInputType : InputObjectGraphType
{
    public CreateCandidatureInputType()
    {
        Name = "CreateCandidatureInput";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<StringGraphType>>("finess");
        Field<NonNullGraphType<ModalityType>>("modality");
        Field<DateOnlyGraphType>("requestDate").Description("Date de la demande ; aujourd'hui par défaut.");
    }
}

public sealed class ChangeCandidatureStatusInputType : InputObjectGraphType
{
    public ChangeCandidatureStatusInputType()
    {
        Name = "ChangeCandidatureStatusInput";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<IdGraphType>>("candidatureId");
        Field<NonNullGraphType<CandidatureStatusType>>("status").Description("Statut visé.");
        Field<CandidatureReasonType>("reason").Description("Motif harmonisé (obligatoire pour un refus, un désistement, un retrait…).");
    }
}

public sealed class ResolveSolutionElsewhereInputType : InputObjectGraphType
{
    public ResolveSolutionElsewhereInputType()
    {
        Name = "ResolveSolutionElsewhereInput";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<IdGraphType>>("candidatureId");
        Field<NonNullGraphType<SolutionElsewhereDecisionType>>("decision");
    }
}

internal static class PersonFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<PersonType>("person")
            .Description("Une personne, identité comprise (lecture tracée). Rôles : territorial-staff, mdph-referent, admin (leur département ; admin national : tous) ; esms-director si la personne a une candidature dans un de ses ESMS, et alors seulement ces candidatures-là (même refus FORBIDDEN pour une personne inconnue).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Grains().GetGrain<IPersonGrain>(PersonId.Parse(c.GetArgument<string>("id")).Value).GetAsync());

        query.Field<NonNullGraphType<DepartmentCountsType>>("departmentCounts")
            .Description("Les personnes distinctes en attente et la somme des longueurs de listes, par type d'accompagnement et territoire. Rôles : territorial-staff, mdph-referent, observatory, admin (leur département).")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .ResolveAsync(async c =>
            {
                var department = QueryType.Department(c.GetArgument<string>("department"));
                var topology = c.RequestServices!.GetRequiredService<DepartmentTopology>();
                var shards = await Task.WhenAll(Enumerable.Range(0, topology.WaitingShards)
                    .Select(i => c.Grains().GetGrain<IWaitingShardGrain>(DepartmentTopology.ShardKey(department, i)).GetCountsAsync()));
                return WaitingCounts.Combine(shards);
            });
    }

    public static void AddMutations(ObjectGraphType mutation, TimeProvider clock)
    {
        DateOnly Today() => ParisDate.Today(clock);

        mutation.Field<NonNullGraphType<PersonType>>("createPerson")
            .Description("Enregistre une personne du département, après rapprochement avec les personnes connues : une personne reconnue (même personne) est renvoyée telle quelle, un doublon possible est créé et placé dans la file de vérification. Rôles : territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<CreatePersonInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var department = QueryType.Department(input["department"] as string);
                // The whole input is checked before the identity index records anything.
                var situation = SituationOf(input.GetValueOrDefault("situation"), Today());
                var carer = CarerOf(input.GetValueOrDefault("carer"), Today());
                NirHash? nirHash = null;
                if (input.GetValueOrDefault("nir") is string { Length: > 0 } nir)
                {
                    var hasher = c.RequestServices!.GetService<NirHasher>()
                        ?? throw new DomainException("NIR_HASHING_UNAVAILABLE", "Le secret départemental de hachage des NIR n'est pas configuré (Nir:Secret) : saisissez la personne sans NIR.", "nir");
                    nirHash = hasher.Hash(Nir.Parse(nir));
                }
                var identity = PersonIdentity.Create((string)input["birthName"]!, ((IEnumerable<object>)input["firstNames"]!).Cast<string>(),
                    (DateOnly)input["birthDate"]!, (Sex)input["sex"]!, Today(), input.GetValueOrDefault("usageName") as string,
                    input.GetValueOrDefault("residenceCommune") as string, input.GetValueOrDefault("mdphFileNumber") as string, nirHash);
                // Matched against the département's persons first: a person already known is returned as is.
                var resolution = (await c.Grains().GetGrain<Grains.Identity.IIdentityGrain>(department)
                    .ResolveAsync([new Grains.Identity.IdentityRequest(Domain.Identity.MatchRecords.Of("saisie", identity), true, $"saisie par {c.Caller()}")]))[0];
                if (resolution.Outcome == Domain.Identity.IdentityOutcome.SamePerson
                    && await c.Grains().GetGrain<IPersonGrain>(resolution.PersonId!).GetAsync() is { } known)
                    return known;
                var id = PersonId.Parse(resolution.PersonId);
                return await c.Grains().GetGrain<IPersonGrain>(id.Value).CreateAsync(identity, situation, carer,
                    input.GetValueOrDefault("consentToShare") as bool? ?? false, c.Caller());
            });

        mutation.Field<NonNullGraphType<PersonType>>("updatePersonSituation")
            .Description("Met à jour la situation (et l'aidant) d'une personne. Rôles : territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<UpdateSituationInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                return await Person(c, input).UpdateSituationAsync(SituationOf(input["situation"], Today())!, CarerOf(input.GetValueOrDefault("carer"), Today()), c.Caller());
            });

        mutation.Field<NonNullGraphType<PersonType>>("addOrientation")
            .Description("Enregistre une décision d'orientation de la CDAPH. Rôles : mdph-referent, admin.")
            .Argument<NonNullGraphType<AddOrientationInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var orientation = Orientation.Create((string)input["decisionReference"]!, (KindOfSupport)input["kind"]!, (DateOnly)input["validFrom"]!,
                    input.GetValueOrDefault("validTo") as DateOnly?, (input.GetValueOrDefault("modalities") as IEnumerable<object>)?.Cast<Modality>(), Today());
                return await Person(c, input).AddOrientationAsync(orientation, c.Caller());
            });

        mutation.Field<NonNullGraphType<CandidatureType>>("createCandidature")
            .Description("Crée une candidature d'une personne à un ESMS, refusée si la personne n'y est pas éligible (orientation, âge, modalité). Rôles : territorial-staff, mdph-referent, admin (ESMS et personne de leur département) ; esms-director pour son ESMS et seulement pour une personne qui y a déjà une candidature (une nouvelle personne lui parvient par l'import de sa liste, identité comprise).")
            .Argument<NonNullGraphType<CreateCandidatureInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                return await Person(c, input).CreateCandidatureAsync(FinessNumber.Parse(input["finess"] as string), (Modality)input["modality"]!,
                    input.GetValueOrDefault("requestDate") as DateOnly? ?? Today(), c.Caller());
            });

        mutation.Field<NonNullGraphType<PersonType>>("changeCandidatureStatus")
            .Description("Change le statut d'une candidature selon la machine à états harmonisée ; une admission clôt les autres candidatures ouvertes du même type (SOLUTION_FOUND_ELSEWHERE). Rôles : esms-director (son ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<ChangeCandidatureStatusInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                return await Person(c, input).ChangeCandidatureStatusAsync(CandidatureId.Parse(input["candidatureId"] as string),
                    (CandidatureStatus)input["status"]!, input.GetValueOrDefault("reason") as CandidatureReason?, c.Caller());
            });

        mutation.Field<NonNullGraphType<PersonType>>("resolveSolutionElsewhere")
            .Description("Confirme (retrait), annule, ou garde comme « ESMS préféré » une candidature close parce que la personne a été admise ailleurs. Rôles : territorial-staff, admin.")
            .Argument<NonNullGraphType<ResolveSolutionElsewhereInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                return await Person(c, input).ResolveSolutionElsewhereAsync(CandidatureId.Parse(input["candidatureId"] as string),
                    (SolutionElsewhereDecision)input["decision"]!, c.Caller());
            });
    }

    private static IPersonGrain Person(IResolveFieldContext c, Dictionary<string, object?> input) =>
        c.Grains().GetGrain<IPersonGrain>(PersonId.Parse(input["personId"] as string).Value);

    private static Situation? SituationOf(object? value, DateOnly today) =>
        value is Dictionary<string, object?> s
            ? Situation.Create((SituationKind)s["kind"]!, (DateOnly)s["since"]!, s.GetValueOrDefault("esms") as string, s.GetValueOrDefault("note") as string, today)
            : null;

    private static Carer? CarerOf(object? value, DateOnly today) =>
        value is Dictionary<string, object?> c
            ? Carer.FromDeclaredAge((CarerRelationship)c["relationship"]!, (int)c["age"]!, today, (CarerStatus)c["status"]!)
            : null;
}
