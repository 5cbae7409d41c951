using Listes360.Api.Hosting;

await ApiHost.Build(args).RunAsync();

/// <summary>Entry point, public so that tests can host the API.</summary>
public partial class Program;
