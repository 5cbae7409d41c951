using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Grains.Department;
using Listes360.Grains.Persons;
using Listes360.Application.Persons;

namespace Listes360.Api.GraphQL;

public sealed class SituationInputType : InputObjectGraphType<SituationInput>
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

public sealed class CarerInputType : InputObjectGraphType<CarerInput>
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

public sealed class CreatePersonInputType : InputObjectGraphType<CreatePersonInput>
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

public sealed class UpdatePersonSituationInputType : InputObjectGraphType<UpdatePersonSituationInput>
{
    public UpdatePersonSituationInputType()
    {
        Name = "UpdatePersonSituationInput";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<SituationInputType>>("situation");
        Field<CarerInputType>("carer").Description("L'aidant ; inchangé s'il est absent.");
    }
}

public sealed class AddOrientationInputType : InputObjectGraphType<AddOrientationInput>
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

public sealed class CreateCandidatureInputType : InputObjectGraphType<CreateCandidatureInput>
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

public sealed class ChangeCandidatureStatusInputType : InputObjectGraphType<ChangeCandidatureStatusInput>
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

public sealed class ResolveSolutionElsewhereInputType : InputObjectGraphType<ResolveSolutionElsewhereInput>
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

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreatePersonPayloadType>>("createPerson")
            .Description("Enregistre une personne du département, après rapprochement avec les personnes connues : une personne reconnue (même personne) est renvoyée telle quelle, un doublon possible est créé et placé dans la file de vérification. Rôles : territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<CreatePersonInputType>>("input")
            .ResolveAsync(c => c.RunAsync<CreatePerson, CreatePersonInput, CreatePersonResult>());

        mutation.Field<NonNullGraphType<UpdatePersonSituationPayloadType>>("updatePersonSituation")
            .Description("Met à jour la situation (et l'aidant) d'une personne. Rôles : territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<UpdatePersonSituationInputType>>("input")
            .ResolveAsync(c => c.RunAsync<UpdatePersonSituation, UpdatePersonSituationInput, PersonResult>());

        mutation.Field<NonNullGraphType<AddOrientationPayloadType>>("addOrientation")
            .Description("Enregistre une décision d'orientation de la CDAPH. Rôles : mdph-referent, admin.")
            .Argument<NonNullGraphType<AddOrientationInputType>>("input")
            .ResolveAsync(c => c.RunAsync<AddOrientation, AddOrientationInput, PersonResult>());

        mutation.Field<NonNullGraphType<CreateCandidaturePayloadType>>("createCandidature")
            .Description("Crée une candidature d'une personne à un ESMS, refusée si la personne n'y est pas éligible (orientation, âge, modalité). Rôles : territorial-staff, mdph-referent, admin (ESMS et personne de leur département) ; esms-director pour son ESMS et seulement pour une personne qui y a déjà une candidature (une nouvelle personne lui parvient par l'import de sa liste, identité comprise).")
            .Argument<NonNullGraphType<CreateCandidatureInputType>>("input")
            .ResolveAsync(c => c.RunAsync<CreateCandidature, CreateCandidatureInput, CandidatureResult>());

        mutation.Field<NonNullGraphType<ChangeCandidatureStatusPayloadType>>("changeCandidatureStatus")
            .Description("Change le statut d'une candidature selon la machine à états harmonisée ; une admission clôt les autres candidatures ouvertes du même type (SOLUTION_FOUND_ELSEWHERE). Rôles : esms-director (son ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<ChangeCandidatureStatusInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ChangeCandidatureStatus, ChangeCandidatureStatusInput, CandidatureResult>());

        mutation.Field<NonNullGraphType<ResolveSolutionElsewherePayloadType>>("resolveSolutionElsewhere")
            .Description("Confirme (retrait), annule, ou garde comme « ESMS préféré » une candidature close parce que la personne a été admise ailleurs. Rôles : territorial-staff, admin.")
            .Argument<NonNullGraphType<ResolveSolutionElsewhereInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ResolveSolutionElsewhere, ResolveSolutionElsewhereInput, CandidatureResult>());
    }
}
