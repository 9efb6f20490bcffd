using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Faults;

/// <summary>What the server acknowledged with a CALLRESULT, as the stations of a kill test saw it.</summary>
internal sealed class AcknowledgedLedger
{
    /// <summary>(identity, meterStartWh) → the transactionId the server answered.</summary>
    public ConcurrentDictionary<(string Identity, long MeterStartWh), int> Starts { get; } = new();

    /// <summary>(identity, value) of every sample acknowledged, from MeterValues and from a stop's transactionData.</summary>
    public ConcurrentDictionary<(string Identity, string Value), int?> Samples { get; } = new();

    /// <summary>(identity, transactionId) → meterStopWh of every acknowledged StopTransaction.</summary>
    public ConcurrentDictionary<(string Identity, int TransactionId), long> Stops { get; } = new();

    public int Count => Starts.Count + Samples.Count + Stops.Count;
}

/// <summary>
/// A station that behaves as real ones do when their CSMS dies: a message is kept until the server acknowledges
/// it, and after a reconnect (and BootNotification) the same message, with the same timestamps and values, is
/// sent again. It sends one call at a time, as OCPP-J requires. Runs transactions (start, meter values, stop
/// with transactionData) until asked to stop, then finishes the transaction it is in.
/// </summary>
internal sealed class RetryingStation(Uri endpoint, string identity, string password, AcknowledgedLedger ledger)
{
    private const int SamplesPerTransaction = 4;
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    private TestStation? _station;
    private DateTimeOffset _lastTimestamp = DateTimeOffset.MinValue;
    private long _registerWh = 1_000;

    /// <summary>Messages sent again after a lost connection or a lost answer.</summary>
    public int Retries { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await TransactionAsync();
            }
        }
        finally
        {
            if (_station is not null)
            {
                await _station.DisposeAsync();
            }
        }
    }

    private async Task TransactionAsync()
    {
        var meterStart = _registerWh;
        var started = await UntilAcknowledgedAsync("StartTransaction", new JsonObject
        {
            ["connectorId"] = 1,
            ["idTag"] = "K9TAG",
            ["meterStart"] = meterStart,
            ["timestamp"] = NextTimestamp(),
        });
        var transactionId = started["transactionId"]!.GetValue<int>();
        Assert.True(ledger.Starts.TryAdd((identity, meterStart), transactionId), "a start was acknowledged twice");

        for (var i = 0; i < SamplesPerTransaction; i++)
        {
            var value = Wh(++_registerWh);
            await UntilAcknowledgedAsync("MeterValues", new JsonObject
            {
                ["connectorId"] = 1,
                ["transactionId"] = transactionId,
                ["meterValue"] = new JsonArray(new JsonObject
                {
                    ["timestamp"] = NextTimestamp(),
                    ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = value, ["measurand"] = "Energy.Active.Import.Register", ["unit"] = "Wh" }),
                }),
            });
            ledger.Samples[(identity, value)] = transactionId;
        }

        var meterStop = ++_registerWh;
        var stopSample = Wh(meterStop);
        await UntilAcknowledgedAsync("StopTransaction", new JsonObject
        {
            ["transactionId"] = transactionId,
            ["meterStop"] = meterStop,
            ["timestamp"] = NextTimestamp(),
            ["reason"] = "Local",
            ["transactionData"] = new JsonArray(new JsonObject
            {
                ["timestamp"] = NextTimestamp(),
                ["sampledValue"] = new JsonArray(new JsonObject { ["value"] = stopSample, ["measurand"] = "Energy.Active.Import.Register", ["unit"] = "Wh", ["context"] = "Transaction.End" }),
            }),
        });
        ledger.Stops[(identity, transactionId)] = meterStop;
        ledger.Samples[(identity, stopSample)] = transactionId;
        _registerWh++;
    }

    /// <summary>Sends the call until a CALLRESULT comes back; the payload stays exactly as first built.</summary>
    private async Task<JsonObject> UntilAcknowledgedAsync(string action, JsonObject payload)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                Retries++;
            }

            var station = await ConnectedAsync();
            try
            {
                var call = station.CallAsync(action, payload.DeepClone(), AnswerTimeout);
                await Task.WhenAny(call, station.Closed);
                if (call.IsCompletedSuccessfully)
                {
                    var answer = call.Result;
                    Assert.True(answer[0]!.GetValue<int>() == 3, $"{identity}: {action} was answered with {answer.ToJsonString()}");
                    return answer[2]!.AsObject();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
                // The server died under the call: no answer, so the message is sent again.
            }

            await DropAsync();
        }
    }

    private async Task<TestStation> ConnectedAsync()
    {
        while (_station is null || _station.Closed.IsCompleted)
        {
            await DropAsync();
            try
            {
                var result = await TestStation.ConnectAsync(endpoint, identity, password, "ocpp1.6");
                if (result.Station is { } station)
                {
                    var boot = station.CallAsync("BootNotification", new { chargePointVendor = "Voltgate", chargePointModel = "K9" }, AnswerTimeout);
                    await Task.WhenAny(boot, station.Closed);
                    if (boot.IsCompletedSuccessfully && boot.Result[0]!.GetValue<int>() == 3)
                    {
                        _station = station;
                        continue;
                    }

                    await station.DisposeAsync();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                // Server not back yet.
            }

            await Task.Delay(100);
        }

        return _station;
    }

    private async Task DropAsync()
    {
        if (_station is not null)
        {
            await _station.DisposeAsync();
            _station = null;
        }
    }

    // Strictly increasing whole milliseconds: each start and sample is told apart by its timestamp, and a
    // millisecond survives both databases' precision.
    private string NextTimestamp()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _lastTimestamp = now > _lastTimestamp ? now : _lastTimestamp.AddMilliseconds(1);
        return _lastTimestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
    }

    private static string Wh(long value) => value.ToString(CultureInfo.InvariantCulture);
}
