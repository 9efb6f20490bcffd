namespace Voltgate.Server.Tests.Support;

/// <summary>
/// Free ports are found by binding port 0 and releasing it; before Kestrel binds it, an outgoing connection of a
/// parallel test can take the same ephemeral port. Starting again on fresh ports is then the right answer.
/// </summary>
public static class PortRetry
{
    public static async Task<T> StartAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (IOException ex) when (attempt < 5 && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }
}
