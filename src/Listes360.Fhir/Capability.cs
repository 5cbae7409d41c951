using Hl7.Fhir.Model;

namespace Listes360.Fhir;

/// <summary>What <c>/fhir</c> supports, exactly: nothing more is announced than <see cref="FhirEndpoints"/> serves.</summary>
public static class Capability
{
    public static CapabilityStatement Statement(string baseUrl) => new()
    {
        Id = "listes360-sdo",
        Url = baseUrl + "/metadata",
        Name = "Listes360SdoServer",
        Title = "Listes360 — serveur des échanges SDO (ans.fhir.fr.sdo) pour les logiciels des ESMS du département",
        Status = PublicationStatus.Active,
        Date = "2026-11-30",
        Publisher = "Listes360",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = "Listes360" },
        Implementation = new CapabilityStatement.ImplementationComponent { Description = "Listes d'attente départementales (Communautés 360)", Url = baseUrl },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["application/fhir+json"],
        Instantiates = [SdoProfile.Canonical + "/CapabilityStatement/SDOGestionnaire"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Documentation = "JSON seulement. Jeton porteur (Authorization: Bearer) de Listes360 : le logiciel d'un ESMS agit avec un jeton "
                    + "« esms-director » portant son FINESS et ne voit que ses personnes. Chaque appel est journalisé. Flux 4 (Task), 5.1 (Task), 2 (Consent). "
                    + "Les flux 1 et 3 (DocumentReference) ne sont pas servis.",
                Security = new CapabilityStatement.SecurityComponent
                {
                    Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth", "OAuth", null)],
                    Description = "Jeton porteur signé (JWT) de Listes360 ; en production, client credentials délivrés à chaque ESMS.",
                },
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Task",
                        Profile = SdoProfile.TaskProfile,
                        SupportedProfile = [SdoProfile.TaskProfile],
                        Documentation = "Statut de la personne dans l'ESMS (J252, motif J251) appliqué à sa candidature par la machine à états de Listes360. "
                            + "Identifiant : {FINESS}-{candidature}. Task.for = Patient/{identifiant Listes360 de la personne} ; absent (ou pseudonyme d'un autre système), "
                            + "la personne est celle de la liste de l'ESMS qui a la décision idDecision. Un POST pour une candidature qui a déjà sa Task met à jour cette Task "
                            + "(jamais de doublon) ; création et mise à jour conditionnelles (If-None-Exist, If-Match) non prises en charge.",
                        Interaction =
                        [
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create, Documentation = "Flux 4 : premier statut." },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Update, Documentation = "Flux 4 : mise à jour du statut." },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read, Documentation = "Flux 5.2 : lecture d'une Task." },
                            new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType, Documentation = "Flux 5.1 : admissions ailleurs et admissions impossibles entérinées." },
                        ],
                        Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
                        UpdateCreate = false,
                        ConditionalCreate = false,
                        ConditionalUpdate = false,
                        ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
                        ReadHistory = false,
                        SearchParam =
                        [
                            new CapabilityStatement.SearchParamComponent { Name = "_lastUpdated", Type = SearchParamType.Date, Documentation = "gt ou ge, date AAAA-MM-JJ (jour de Paris) ou date et heure ; obligatoire." },
                            new CapabilityStatement.SearchParamComponent { Name = "_elements", Type = SearchParamType.String, Documentation = "id seulement." },
                        ],
                    },
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "Consent",
                        Profile = SdoProfile.ConsentProfile,
                        Documentation = "Flux 2 : consentement au partage recueilli par l'ESMS (meta.source = 1 + FINESS), enregistré sur la personne (Consent.patient).",
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Create }],
                        ConditionalCreate = false,
                    },
                ],
            },
        ],
    };
}
