using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Application;

public static class ApplicationServices
{
    /// <summary>Registers every use case of this assembly (each <see cref="IUseCase{TInput, TResult}"/>), transient.</summary>
    public static IServiceCollection AddListes360UseCases(this IServiceCollection services)
    {
        foreach (var type in typeof(ApplicationServices).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true }
                                 && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IUseCase<,>))))
            services.AddTransient(type);
        return services;
    }

    /// <summary>Registers the reads that span several grains (the departmental list and worklist), shared by GraphQL, exports and pages.</summary>
    public static IServiceCollection AddListes360Queries(this IServiceCollection services) =>
        services.AddSingleton<WaitingList.ListShardReferences>()
            .AddTransient<WaitingList.WaitingListQueries>().AddTransient<WaitingList.WaitingListCsvExport>();
}
