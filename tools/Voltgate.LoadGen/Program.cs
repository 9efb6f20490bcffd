using Voltgate.LoadGen;

var parsed = ArgParser.Parse(args);
if (parsed.HelpRequested)
{
    Console.WriteLine(ArgParser.Usage);
    return 0;
}

if (parsed.Options is not { } options)
{
    Console.Error.WriteLine("error: " + parsed.Error);
    Console.Error.WriteLine("run with --help for usage");
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C ends the run early but still closes sockets and prints the summary.
    e.Cancel = true;
    interrupted.Cancel();
};

if (options.Mode == "reconnect-storm")
{
    return await AttackModes.ReconnectStormAsync(options, Console.Out, interrupted.Token);
}

if (options.Mode == "idle-sockets")
{
    return await AttackModes.IdleSocketsAsync(options, Console.Out, interrupted.Token);
}

var report = await LoadRunner.RunAsync(options, Console.Out, interrupted.Token);
if (report.ExitCode is 2 or 3)
{
    Console.Error.WriteLine("error: " + report.Message);
    return report.ExitCode;
}

Reporter.WriteSummary(report, Console.Out);
if (options.JsonPath is { } path)
{
    await using var file = File.Create(path);
    Reporter.WriteJson(report, file);
    Console.WriteLine("results written to " + path);
}

return report.ExitCode;
