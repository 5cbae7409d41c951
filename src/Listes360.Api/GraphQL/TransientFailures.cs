using System.Net.Sockets;
using System.Reflection;

namespace Listes360.Api.GraphQL;

/// <summary>
/// Whether a failure is the cluster's passing state rather than a fault: while a dead silo is being
/// evicted, or a grain moves, calls fail with Orleans' messaging errors, two activations of one grain
/// race on its stored state, the storage answers « busy ». The same call a few seconds later succeeds:
/// the client is told so (code <see cref="Code"/>, <c>retryable: true</c>), not handed an internal error.
/// </summary>
public static class TransientFailures
{
    public const string Code = "UNAVAILABLE";

    /// <summary>What the client is asked to wait before retrying (HTTP <c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    public const string Message =
        "Le service est momentanément indisponible : un serveur de la grappe est en cours de remplacement. " +
        "Rien n'a été perdu ; réessayez dans quelques secondes.";

    /// <summary>
    /// True when <paramref name="failure"/>, or what it wraps, is transient. An <see cref="AggregateException"/>
    /// is transient when all of its inner failures are (one bug among them makes it a bug); Orleans' generic
    /// <c>OrleansException</c> and reflection wrappers are judged by their inner failure.
    /// </summary>
    public static bool IsTransient(Exception? failure)
    {
        for (var depth = 0; failure is not null && depth < 16; depth++)
        {
            switch (failure)
            {
                case AggregateException aggregate:
                    var inner = aggregate.Flatten().InnerExceptions;
                    return inner.Count > 0 && inner.All(e => IsTransient(e));
                case Orleans.Runtime.OrleansMessageRejectionException: // SiloUnavailableException among them
                case Orleans.Runtime.GatewayTooBusyException:
                case Orleans.Runtime.Messaging.ConnectionFailedException:
                case Orleans.Runtime.ClientNotAvailableException:
                case Orleans.Storage.InconsistentStateException:
                case TimeoutException: // Orleans' response timeout
                case HttpRequestException:
                case SocketException:
                    return true;
                // 5xx, timeout, throttled; status 0 is the SDK's « no answer », judged by its cause (network or not).
                case Azure.RequestFailedException storage:
                    return storage.Status is >= 500 or 408 or 429 || (storage.Status == 0 && IsTransient(storage.InnerException));
                case TargetInvocationException:
                    failure = failure.InnerException;
                    break;
                case Orleans.Runtime.OrleansException when failure.GetType() == typeof(Orleans.Runtime.OrleansException):
                    failure = failure.InnerException;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }
}
