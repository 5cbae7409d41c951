using Listes360.Domain;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Application;

/// <summary>
/// One write of Listes360 (eShop style: one handler per command): a typed input, the caller, a typed
/// result. A use case orchestrates grain calls and nothing else: the rules are the domain's and the
/// grains'. GraphQL mutations, the command line and later the web pages call the same use case.
/// </summary>
public interface IUseCase<in TInput, TResult>
{
    Task<TResult> ExecuteAsync(TInput input, Caller caller);
}

/// <summary>What every use case does around its grain calls: it acts as its caller.</summary>
public abstract class UseCase<TInput, TResult> : IUseCase<TInput, TResult>
{
    public async Task<TResult> ExecuteAsync(TInput input, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(caller);
        // The caller travels with each grain call (the authorization filter reads it); restored on return.
        using (CallerContext.As(caller))
            return await RunAsync(input, caller);
    }

    protected abstract Task<TResult> RunAsync(TInput input, Caller caller);

    /// <summary>Who is recorded in histories (the audit trail names the same subject).</summary>
    protected static string By(Caller caller) => caller.Subject;
}
