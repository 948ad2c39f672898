var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
await app.RunAsync();

/// <summary>The server's entry point; public so that tests can host it.</summary>
public partial class Program;
