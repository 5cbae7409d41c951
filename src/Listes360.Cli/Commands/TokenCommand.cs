using System.CommandLine;
using Listes360.Api.Security;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;

namespace Listes360.Cli.Commands;

/// <summary><c>listes360 token</c>: a development token for one role, signed with the local key.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role")
        {
            Description = "Rôle : " + string.Join(", ", RoleNames.ClaimValues) + ".",
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. RoleNames.ClaimValues]);
        var finess = new Option<string[]>("--finess") { Description = "Numéro(s) FINESS des ESMS dirigés (esms-director).", AllowMultipleArgumentsPerToken = true };
        var department = new Option<string?>("--department") { Description = "Département (par exemple 61).", DefaultValueFactory = _ => "61" };
        var territory = new Option<string?>("--territory") { Description = "Territoire (code EPCI) d'une équipe territoriale." };
        var subject = new Option<string>("--name") { Description = "Nom de la personne dans le jeton.", DefaultValueFactory = _ => Environment.UserName };
        var hours = new Option<int>("--hours") { Description = "Durée de validité en heures.", DefaultValueFactory = _ => 8 };
        var national = new Option<bool>("--national")
        {
            Description = "Administration nationale (admin seulement) : le jeton ne porte aucun département et vaut pour tous ; sans cette option un admin est lié à son --department.",
        };
        var command = new Command("token", "Émet un jeton de développement pour un rôle (clé locale de .data/auth).")
            { role, finess, department, territory, subject, hours, national };
        command.SetAction(parse =>
        {
            var roleValue = RoleNames.TryParseClaim(parse.GetValue(role), out var parsed) ? parsed : Role.Admin;
            var finessValues = (parse.GetValue(finess) ?? []).Select(f => FinessNumber.Parse(f).Value).ToList();
            if (roleValue is Role.EsmsDirector && finessValues.Count == 0)
            {
                Console.Error.WriteLine("Un jeton esms-director doit porter au moins un --finess.");
                return 1;
            }
            var isNational = parse.GetValue(national);
            if (isNational && roleValue is not Role.Admin)
            {
                Console.Error.WriteLine("--national ne vaut que pour un jeton admin.");
                return 1;
            }
            var settings = new AuthSettings { SigningKey = DevSigningKey.LoadOrCreate(RepositoryPaths.Root()) };
            Console.WriteLine(DevTokens.Mint(settings, parse.GetValue(subject)!, roleValue, finessValues,
                isNational ? null : parse.GetValue(department), parse.GetValue(territory), TimeSpan.FromHours(parse.GetValue(hours)),
                national: isNational));
            return 0;
        });
        return command;
    }
}
