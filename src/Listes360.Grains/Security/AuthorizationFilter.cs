using System.Collections.Concurrent;
using System.Reflection;
using Listes360.Domain;
using Listes360.Domain.Security;

namespace Listes360.Grains.Security;

/// <summary>
/// The one place where access is decided, for every call into a Listes360 grain, whatever the entry
/// point (GraphQL, command line, a future API). Data-dependent rules (a director sees a person only
/// through a candidature to one of their ESMS) are the grain's own, from the same <see cref="Caller"/>.
/// </summary>
public sealed class AuthorizationFilter : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, object?> Rules = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is not { } method || method.DeclaringType?.Assembly != typeof(AuthorizationFilter).Assembly)
            return context.Invoke();

        var rule = Rules.GetOrAdd(method, static m =>
            (object?)m.GetCustomAttribute<AllowAttribute>() ?? m.GetCustomAttribute<InternalAttribute>());
        var caller = CallerContext.Current;
        var fromGrain = context.SourceId is { } source && !GrainTypePrefix.IsClient(source);

        var refusal = rule switch
        {
            InternalAttribute when fromGrain || caller?.Role is Role.System => null,
            InternalAttribute => "Accès refusé : opération interne au service.",
            AllowAttribute allow when caller is null => "Accès refusé : appel sans identité.",
            AllowAttribute allow => AccessPolicy.Deny(caller, allow.Roles, allow.Scope, context.TargetId.Key.ToString()!),
            _ => $"Accès refusé : l'opération {method.DeclaringType!.Name}.{method.Name} n'a pas de règle d'accès.",
        };
        if (refusal is not null)
            throw new DomainException("FORBIDDEN", refusal);
        return context.Invoke();
    }
}
