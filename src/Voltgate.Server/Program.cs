using Voltgate.Server.Hosting;
using Voltgate.Server.Ocpp.FrontDoor;

WebApplication app;
try
{
    app = await VoltgateHost.BuildAsync(args);
}
catch (OcppConfigurationException ex)
{
    Console.Error.WriteLine($"Voltgate cannot start: {ex.Message}");
    return 1;
}
catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
{
    Console.Error.WriteLine($"Voltgate cannot start: the database is not reachable or not usable ({ex.GetType().Name}).");
    return 1;
}

await app.RunAsync();
return 0;

internal partial class Program;
