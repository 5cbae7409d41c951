using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Listes360.Domain.Security;

namespace Listes360.Api.Tests;

/// <summary>
/// The sequential page's needs form (issue 17, point 4): what the sequential search takes as input
/// (days or half-days a week, modalities, distance, territories, from), each refusal in French next to
/// its field with nothing stored, then declared, shown back, removed; an MDPH referent may declare, a
/// director may not.
/// </summary>
public sealed partial class WebConseillerPagesTests
{
    private async Task<JsonElement> NeedsOf(string person) =>
        (await Admin("""query($p: ID!) { sequentialNeeds(personId: $p) { amount unit modalities maxDistanceKm territories from } }""", new { p = person }))
            .GetProperty("sequentialNeeds");

    /// <summary>The error text shown next to the field <paramref name="id"/> (TextField's « id-erreur », a fieldset's message).</summary>
    private static string ErrorNextTo(string body, string id) =>
        Regex.Match(body, $"id=\"{id}-erreur\"[^>]*>(?:<p[^>]*>)?([^<]*)<").Groups[1].Value;

    [Fact]
    public async Task A_conseiller_declares_a_persons_needs_with_French_errors_next_to_the_fields_then_removes_them()
    {
        var person = await PersonAsync("Besoinier" + Letters(4).ToLowerInvariant(), "Léa");
        var path = $"/conseiller/personnes/{person}/sequentiel";
        var browser = Conseiller;
        var (status, page, _) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Déclarer le besoin de la personne", page);
        Assert.Contains("<label class=\"fr-label\" for=\"distance\">", page);

        // Unreadable fields: each error beside its field, nothing stored.
        var (bad, body, _) = await browser.PostFormFromAsync(path, page, "besoin",
            ("Quantite", "trois"), ("Unite", "Days"), ("Distance", "loin"), ("Territoires", ""), ("APartirDu", "31/02/2027"));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("« trois » n'est pas un nombre entier de jours ou de demi-journées.", ErrorNextTo(body, "rythme"));
        Assert.Equal("Cochez au moins une modalité d'accueil acceptable.", ErrorNextTo(body, "modalites"));
        Assert.Equal("« loin » n'est pas une distance en km (par exemple 25 ou 12,5).", ErrorNextTo(body, "distance"));
        Assert.Equal("« 31/02/2027 » n'est pas une date : écrivez-la JJ/MM/AAAA.", ErrorNextTo(body, "besoin-debut"));
        Assert.Contains("Corrigez les 4 champs signalés", body);
        Assert.Contains("value=\"loin\"", body); // what was typed stays
        Assert.Equal(JsonValueKind.Null, (await NeedsOf(person)).ValueKind);

        // Read but refused by the domain's rule (1 to 14 half-days; a territory is 9 digits): its French message beside the field.
        (bad, body, _) = await browser.PostFormFromAsync(path, page, "besoin",
            ("Quantite", "15"), ("Unite", "HalfDays"), ("Modalites", "SemiResidential"), ("Distance", ""), ("Territoires", ""), ("APartirDu", ""));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("Le besoin doit être de 1 à 14 demi-journées par semaine (reçu : 15).", ErrorNextTo(body, "rythme"));
        (bad, body, _) = await browser.PostFormFromAsync(path, page, "besoin",
            ("Quantite", "2"), ("Unite", "Days"), ("Modalites", "SemiResidential"), ("Distance", ""), ("Territoires", "2000"), ("APartirDu", ""));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("« 2000 » n'est pas un code de territoire (code SIREN de l'EPCI, 9 chiffres).", ErrorNextTo(body, "territoires"));
        Assert.Equal(JsonValueKind.Null, (await NeedsOf(person)).ValueKind);

        // Declared: PRG back to the page, which shows the need and the form filled with it.
        var (done, _, response) = await browser.PostFormFromAsync(path, page, "besoin",
            ("Quantite", "3"), ("Unite", "Days"), ("Modalites", "SemiResidential"), ("Modalites", "NonResidential"),
            ("Distance", "25,5"), ("Territoires", "200035723"), ("APartirDu", "05/01/2027"));
        Assert.True(done is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"{done}");
        Assert.Equal($"{path}?fait=besoin", LocationOf(response));
        var needs = await NeedsOf(person);
        Assert.Equal(3, needs.GetProperty("amount").GetInt32());
        Assert.Equal("DAYS", needs.GetProperty("unit").GetString());
        Assert.Equal(["SEMI_RESIDENTIAL", "NON_RESIDENTIAL"], needs.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()!).Order().Reverse());
        Assert.Equal(25.5, needs.GetProperty("maxDistanceKm").GetDouble());
        Assert.Equal(["200035723"], needs.GetProperty("territories").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("2027-01-05", needs.GetProperty("from").GetString());
        (_, page, _) = await browser.GetAsync($"{path}?fait=besoin");
        Assert.Contains("Le besoin d'accueil séquentiel est enregistré", page);
        Assert.Contains("Besoin : 3 jour(s) par semaine à partir du 05/01/2027", page);
        Assert.Contains("id=\"quantite\" name=\"Quantite\" type=\"text\" inputmode=\"numeric\" value=\"3\"", page);
        Assert.Matches("id=\"modalites-SemiResidential\" name=\"Modalites\" value=\"SemiResidential\" checked", page);

        // Removed: the person leaves the sequential search.
        (done, _, response) = await browser.PostFormFromAsync(path, page, "retrait-besoin");
        Assert.Equal($"{path}?fait=besoin-retire", LocationOf(response));
        Assert.Equal(JsonValueKind.Null, (await NeedsOf(person)).ValueKind);
    }

    [Fact]
    public async Task An_MDPH_referent_declares_a_need_and_a_director_posting_the_form_is_refused_with_nothing_stored()
    {
        var person = await PersonAsync("Referentiel" + Letters(4).ToLowerInvariant(), "Hugo");
        var path = $"/conseiller/personnes/{person}/sequentiel";

        var director = As(Role.EsmsDirector, null, "610000010");
        var (_, signOut, _) = await director.GetAsync("/deconnexion"); // a form of the director's own, for an anti-forgery pair
        var (refused, body, _) = await director.PostFormFromAsync(path, signOut, "besoin", ("Quantite", "2"), ("Unite", "Days"), ("Modalites", "SemiResidential"));
        // The page refuses a director before it renders any form: 403, or the framework's 400 when the posted form is not on the refused page.
        Assert.True(refused is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, $"{refused} : {body[..Math.Min(300, body.Length)]}");
        Assert.DoesNotContain("Le besoin d'accueil séquentiel est enregistré", body);
        Assert.Equal(JsonValueKind.Null, (await NeedsOf(person)).ValueKind);

        var referent = As(Role.MdphReferent);
        var (status, page, _) = await referent.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        var (done, _, response) = await referent.PostFormFromAsync(path, page, "besoin", ("Quantite", "4"), ("Unite", "HalfDays"), ("Modalites", "Temporary"));
        Assert.Equal($"{path}?fait=besoin", LocationOf(response));
        Assert.Equal(4, (await NeedsOf(person)).GetProperty("amount").GetInt32());
        (status, page, _) = await referent.GetAsync(path); // the referent sees the need; the search is the staff's
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Besoin : 4 demi-journée(s) par semaine", page);
        Assert.Contains("faites par le staff territorial", page);
    }
}
