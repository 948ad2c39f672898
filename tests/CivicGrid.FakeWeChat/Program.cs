// The fake WeChat server for the browser tests: `dotnet CivicGrid.FakeWeChat.dll <port> <appId> <appSecret> [image.jpg]`.
// Runs until stopped (SIGTERM or Ctrl+C); the template messages it accepted are at GET /fake/messages.
using System.Globalization;
using CivicGrid.Testing;

if (args.Length < 3)
{
    await Console.Error.WriteLineAsync("usage: CivicGrid.FakeWeChat <port> <appId> <appSecret> [image.jpg]");
    return 2;
}

await using var fake = await FakeWeChatServer.StartAsync(args[1], args[2], int.Parse(args[0], CultureInfo.InvariantCulture));
fake.ImagePath = args.Length > 3 ? Path.GetFullPath(args[3]) : null;
Console.WriteLine($"fake WeChat listening on {fake.Address}");
await fake.WaitForShutdownAsync();
return 0;
