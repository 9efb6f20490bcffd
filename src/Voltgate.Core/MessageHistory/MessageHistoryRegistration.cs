using Microsoft.Extensions.DependencyInjection;

namespace Voltgate.Core.MessageHistory;

public static class MessageHistoryRegistration
{
    /// <summary>The persistent message history; register after the station domain (its writer must stop after the recorder).</summary>
    public static IServiceCollection AddMessageHistory(this IServiceCollection services, MessageHistoryOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<MessageHistoryBatch>();
        services.AddSingleton<MessageRecordingSettings>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageRecordingSettings>());
        services.AddSingleton<MessageHistoryRecorder>();
        services.AddSingleton<IMessageRecorder>(sp => sp.GetRequiredService<MessageHistoryRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<MessageHistoryRecorder>());
        services.AddSingleton<MessageHistoryCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageHistoryCleanup>());
        services.AddScoped<MessageHistoryStore>();
        return services;
    }
}
