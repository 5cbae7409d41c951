using Hl7.Fhir.Model;
using Listes360.Grains.Sdo;

namespace Listes360.Fhir.SdoClient;

/// <summary>The SI-SDO client's report as a FHIR <c>Parameters</c> resource (<c>GET /fhir/$sdo-client?department=61</c>).</summary>
public static class SdoClientReport
{
    public const string Operation = "$sdo-client";

    public static Parameters ToParameters(SdoExchangeReport report)
    {
        var parameters = new Parameters { Id = $"sdo-client-{report.Department}", Meta = new Meta { LastUpdated = DateTimeOffset.UtcNow } };
        parameters.Add("department", new FhirString(report.Department));
        parameters.Add("enabled", new FhirBoolean(report.Enabled));
        if (report.BaseUrl is not null)
            parameters.Add("baseUrl", new FhirUrl(report.BaseUrl));
        parameters.Add("sent", new Integer(report.Sent));
        parameters.Add("pending", new Integer(report.Pending));
        parameters.Add("failed", new Integer(report.Failed));
        if (report.LastPollAt is { } at)
            parameters.Add("lastPollAt", new FhirDateTime(at));
        if (report.LastPoll is not null)
            parameters.Add("lastPoll", new FhirString(report.LastPoll));
        foreach (var item in report.Items)
        {
            var parts = new List<Tuple<string, Base>>
            {
                Tuple.Create<string, Base>("candidature", new FhirString(item.CandidatureId)),
                Tuple.Create<string, Base>("person", new FhirString(item.PersonId)),
                Tuple.Create<string, Base>("finess", new FhirString(item.Finess)),
                Tuple.Create<string, Base>("status", new Code(item.Status)),
                Tuple.Create<string, Base>("state", new Code(State(item.State))),
                Tuple.Create<string, Base>("attempts", new Integer(item.Attempts)),
                Tuple.Create<string, Base>("detail", new FhirString(item.Detail)),
            };
            if (item.RemoteTaskId is not null)
                parts.Add(Tuple.Create<string, Base>("remoteTask", new FhirString("Task/" + item.RemoteTaskId)));
            if (item.SentCode is not null)
                parts.Add(Tuple.Create<string, Base>("sentJ252", new Code(item.SentCode)));
            if (item.NextAttemptAt is { } next)
                parts.Add(Tuple.Create<string, Base>("nextAttemptAt", new FhirDateTime(next)));
            parameters.Add("item", parts);
        }
        foreach (var line in report.Received)
            parameters.Add("received", new FhirString(line));
        return parameters;
    }

    /// <summary>The state's code in the report: <c>sent</c>, <c>pending</c>, <c>failed</c>.</summary>
    public static string State(SdoSendState state) => state switch
    {
        SdoSendState.Sent => "sent",
        SdoSendState.Pending => "pending",
        _ => "failed",
    };
}
