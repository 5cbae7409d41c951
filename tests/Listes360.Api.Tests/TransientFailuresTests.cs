using Listes360.Api.GraphQL;
using Listes360.Domain;
using Orleans.Runtime;
using Orleans.Storage;

namespace Listes360.Api.Tests;

/// <summary>The one decision « transient or not », and the answer each failure gets in a GraphQL error.</summary>
public sealed class TransientFailuresTests
{
    public static TheoryData<string, Exception> Transient() => new()
    {
        { "silo évincé", new SiloUnavailableException("silo mort") },
        { "passerelle surchargée", new GatewayTooBusyException() },
        { "connexion perdue", new Orleans.Runtime.Messaging.ConnectionFailedException("coupée") },
        { "délai de réponse d'Orleans", new TimeoutException("Response did not arrive on time") },
        { "deux activations en course", new InconsistentStateException("etag") },
        { "stockage 503", new Azure.RequestFailedException(503, "Server busy") },
        { "stockage 500", new Azure.RequestFailedException(500, "Internal") },
        { "stockage 408", new Azure.RequestFailedException(408, "Timeout") },
        { "stockage 429", new Azure.RequestFailedException(429, "Throttled") },
        { "stockage injoignable", new Azure.RequestFailedException(0, "no response", "", new HttpRequestException("refused")) },
        { "OrleansException qui enveloppe", new OrleansException("wrapper", new SiloUnavailableException("silo mort")) },
        { "enveloppes imbriquées", new OrleansException("a", new OrleansException("b", new GatewayTooBusyException())) },
        { "agrégat de pannes passagères", new AggregateException(new TimeoutException(), new Azure.RequestFailedException(503, "busy")) },
        { "agrégat dans un agrégat", new AggregateException(new AggregateException(new SiloUnavailableException("x"))) },
        { "invocation par réflexion", new System.Reflection.TargetInvocationException(new SiloUnavailableException("x")) },
    };

    public static TheoryData<string, Exception> NotTransient() => new()
    {
        { "règle du domaine", new DomainException("DUPLICATE_CANDIDATURE", "déjà") },
        { "bogue", new NullReferenceException() },
        { "argument", new ArgumentException("x") },
        { "stockage 404", new Azure.RequestFailedException(404, "Not found") },
        { "stockage 409", new Azure.RequestFailedException(409, "Conflict") },
        { "stockage 400", new Azure.RequestFailedException(400, "Bad request") },
        { "stockage sans réponse, cause inconnue", new Azure.RequestFailedException(0, "no response", "", new InvalidOperationException()) },
        { "OrleansException sans cause", new OrleansException("?") },
        { "OrleansException qui enveloppe un bogue", new OrleansException("wrapper", new NullReferenceException()) },
        { "agrégat avec un bogue", new AggregateException(new TimeoutException(), new NullReferenceException()) },
        { "agrégat vide", new AggregateException() },
        { "bogue qui enveloppe une panne", new InvalidOperationException("bug", new SiloUnavailableException("x")) },
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void Passing_failures_of_the_cluster_or_its_storage_are_transient(string what, Exception failure) =>
        Assert.True(TransientFailures.IsTransient(failure), what);

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void Domain_refusals_and_bugs_are_not_transient(string what, Exception failure) =>
        Assert.False(TransientFailures.IsTransient(failure), what);

    [Fact]
    public void A_transient_failure_in_a_resolver_answers_unavailable_retryable_in_french()
    {
        var error = GraphQLRegistration.Translate(new SiloUnavailableException("silo mort"), "createCandidature");

        Assert.Equal("UNAVAILABLE", error.Code);
        Assert.True(GraphQLRegistration.IsRetryable(error));
        Assert.Contains("momentanément indisponible", error.Message);
        Assert.Contains("Rien n'a été perdu", error.Message);
        Assert.DoesNotContain("silo mort", error.Message);
    }

    [Fact]
    public void A_domain_refusal_keeps_its_code_and_a_bug_stays_an_internal_error()
    {
        var refusal = GraphQLRegistration.Translate(new DomainException("DUPLICATE_CANDIDATURE", "Déjà candidat.", "finess"), "createCandidature");
        var bug = GraphQLRegistration.Translate(new NullReferenceException("détail interne"), "createCandidature");

        Assert.Equal("DUPLICATE_CANDIDATURE", refusal.Code);
        Assert.Equal("Déjà candidat.", refusal.Message);
        Assert.False(GraphQLRegistration.IsRetryable(refusal));
        Assert.Equal("INTERNAL_ERROR", bug.Code);
        Assert.False(GraphQLRegistration.IsRetryable(bug));
        Assert.DoesNotContain("détail interne", bug.Message);
    }

    [Fact]
    public void A_keyed_answer_is_kept_unless_nothing_ran_it_asks_for_a_retry_or_it_is_too_large()
    {
        var done = new global::GraphQL.ExecutionResult { Executed = true };
        var refused = new global::GraphQL.ExecutionResult { Executed = true, Errors = [GraphQLRegistration.Translate(new Domain.DomainException("DUPLICATE_CANDIDATURE", "x"), "f")] };
        var unavailable = new global::GraphQL.ExecutionResult { Executed = true, Errors = [GraphQLRegistration.Unavailable()] };
        var invalid = new global::GraphQL.ExecutionResult { Executed = false, Errors = [new global::GraphQL.ExecutionError("x") { Code = "SYNTAX_ERROR" }] };
        var limit = Listes360.Grains.Idempotency.IdempotencyKeys.MaxStoredResponseBytes;

        Assert.Equal((true, "stored"), GraphQLHttpEndpoint.Keep(done, limit));
        Assert.Equal((true, "stored"), GraphQLHttpEndpoint.Keep(refused, 100));
        Assert.Equal((false, "not-stored; reason=too-large"), GraphQLHttpEndpoint.Keep(done, limit + 1));
        Assert.Equal((false, "not-stored; reason=retryable"), GraphQLHttpEndpoint.Keep(unavailable, 100));
        Assert.Equal((false, "not-stored; reason=not-executed"), GraphQLHttpEndpoint.Keep(invalid, 100));
    }
}
