using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Orleans.Runtime;

namespace Listes360.Web.Sessions;

/// <summary>
/// The signed-in caller of one page request, and the scope in which the page calls grains as that
/// caller: the grain authorization filter decides and audits exactly as for a GraphQL request (one
/// request id per page, so a page's reads are written once per operation and target).
/// </summary>
public sealed class WebCaller(IHttpContextAccessor accessor, IWebSignIn signIn)
{
    private bool resolved;
    private Caller? caller;
    private string? error;
    private readonly string requestId = Guid.NewGuid().ToString("N");

    /// <summary>The caller, or null when nobody is signed in (or the session's token cannot make one: <see cref="Error"/>).</summary>
    public async Task<Caller?> GetAsync()
    {
        if (resolved)
            return caller;
        resolved = true;
        var http = accessor.HttpContext ?? throw new InvalidOperationException("Une page est rendue hors requête HTTP.");
        var result = http.User.Identity?.IsAuthenticated == true && http.User.Identities.Any(i => i.AuthenticationType == WebSession.Scheme)
            ? null
            : await http.AuthenticateAsync(WebSession.Scheme);
        var user = result is null ? http.User : result.Succeeded ? result.Principal : null;
        if (user is null)
            return null;
        (caller, error) = signIn.ToCaller(user);
        return caller;
    }

    /// <summary>Why the session's token makes no caller (French), when it does not.</summary>
    public string? Error => error;

    /// <summary>Runs <paramref name="work"/> as <paramref name="as"/>: every grain call carries the caller and the page's request id.</summary>
    public async Task<T> RunAsync<T>(Caller @as, Func<Task<T>> work)
    {
        using (CallerContext.As(@as))
        {
            RequestContext.Set(RequestAuditDeduplication.RequestKey, requestId);
            try
            {
                return await work();
            }
            finally
            {
                RequestContext.Remove(RequestAuditDeduplication.RequestKey);
            }
        }
    }
}
