using System.Collections.Concurrent;
using System.Reflection;
using Listes360.Domain;
using Listes360.Domain.Security;

namespace Listes360.Grains.Security;

/// <summary>
/// The one place where access is decided and audited, for every call into a Listes360 grain,
/// whatever the entry point (GraphQL, command line, a future API). Data-dependent rules (a director
/// sees a person only through a candidature to one of their ESMS) are the grain's own, from the same
/// <see cref="Caller"/>.
/// </summary>
public sealed class AuthorizationFilter(IAuditTrail audit, TimeProvider clock) : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, Rule> Rules = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is not { } method || method.DeclaringType?.Assembly != typeof(AuthorizationFilter).Assembly)
        {
            await context.Invoke();
            return;
        }

        var rule = Rules.GetOrAdd(method, Rule.Of);
        var caller = CallerContext.Current;
        var fromGrain = context.SourceId is { } source && !GrainTypePrefix.IsClient(source);
        var target = context.TargetId.Key.ToString() ?? "";

        var refusal = rule switch
        {
            { Internal: true } when fromGrain || caller?.Role is Role.System => null,
            { Internal: true } => "Accès refusé : opération interne au service.",
            { Allow: null } => $"Accès refusé : l'opération {rule.Operation} n'a pas de règle d'accès.",
            _ when caller is null => "Accès refusé : appel sans identité.",
            { Allow: { } allow } => AccessPolicy.Deny(caller, allow.Roles, allow.Scope, target) ?? rule.DenyArguments(caller, context.Request),
        };
        if (refusal is not null)
        {
            await AppendAsync(caller, rule, target, AuditOutcome.Denied, refusal);
            throw new DomainException("FORBIDDEN", refusal);
        }

        var audited = !rule.Internal && (rule.Kind is AuditKind.Write || rule.AuditReads);
        try
        {
            await context.Invoke();
        }
        // A refusal decided by the grain (data-dependent rules) is a refusal: audited, whatever the operation.
        catch (DomainException e) when (e.Code == "FORBIDDEN" && !rule.Internal)
        {
            await AppendAsync(caller, rule, target, AuditOutcome.Denied, e.Message);
            throw;
        }
        catch (Exception e) when (audited)
        {
            await AppendAsync(caller, rule, target, AuditOutcome.Failed, e is DomainException d ? d.Code : e.GetType().Name);
            throw;
        }
        if (audited)
            await AppendAsync(caller, rule, target, AuditOutcome.Done,
                context.Result is IAuditedRead read ? read.AuditDetail : rule.DetailOf(context.Request));
    }

    private Task AppendAsync(Caller? caller, Rule rule, string target, AuditOutcome outcome, string? detail) =>
        audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), caller?.Subject ?? "anonyme", caller?.Role ?? Role.System,
            rule.Operation, rule.Kind, target, outcome, detail));

    private sealed record Rule(string Operation, AllowAttribute? Allow, bool Internal, AuditKind Kind, bool AuditReads,
        IReadOnlyList<(int Index, string Name)> Details, IReadOnlyList<ScopedArgument> Scoped)
    {
        public static Rule Of(MethodInfo method)
        {
            var allow = method.GetCustomAttribute<AllowAttribute>();
            var kind = method.GetCustomAttribute<ReadOnlyAttribute>() is null ? AuditKind.Write : AuditKind.Read;
            var details = method.GetParameters().Where(p => p.GetCustomAttribute<AuditDetailAttribute>() is not null)
                .Select(p => (p.Position, p.Name!)).ToList();
            var scoped = method.GetParameters().Select(p => (Parameter: p, Attribute: p.GetCustomAttribute<ScopedAttribute>()))
                .Where(p => p.Attribute is not null)
                .Select(p => new ScopedArgument(p.Parameter.Position, p.Attribute!.Scope, p.Attribute.Member)).ToList();
            return new Rule($"{method.DeclaringType!.Name}.{method.Name}", allow,
                method.GetCustomAttribute<InternalAttribute>() is not null, kind, allow?.AuditReads ?? false, details, scoped);
        }

        /// <summary>The first scoped argument outside the caller's scope, as the refusal's reason (null: all within).</summary>
        public string? DenyArguments(Caller caller, Orleans.Serialization.Invocation.IInvokable request)
        {
            foreach (var argument in Scoped)
                foreach (var value in argument.ValuesOf(request.GetArgument(argument.Index)))
                    if (AccessPolicy.DenyScope(caller, argument.Scope, value) is { } refusal)
                        return refusal;
            return null;
        }

        /// <summary>The arguments marked <see cref="AuditDetailAttribute"/>, « name=value » (null when none).</summary>
        public string? DetailOf(Orleans.Serialization.Invocation.IInvokable request) =>
            Details.Count == 0 ? null : string.Join(" ; ", Details.Select(d => $"{d.Name}={request.GetArgument(d.Index)}"));
    }

    private sealed record ScopedArgument(int Index, KeyScope Scope, string? Member)
    {
        /// <summary>The places or persons the argument names: itself, each item of a collection, or their <see cref="Member"/>.</summary>
        public IEnumerable<string?> ValuesOf(object? argument)
        {
            var items = argument is System.Collections.IEnumerable many and not string ? many.Cast<object?>() : [argument];
            foreach (var item in items)
            {
                var value = Member is null || item is null ? item : item.GetType().GetProperty(Member)?.GetValue(item);
                yield return value?.ToString();
            }
        }
    }
}
