using System.Security.Cryptography;
using CivicGrid.Domain.Accounts;
using CivicGrid.Server.Commands;
using CivicGrid.Server.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Server.Features.Users;

/// <summary>Creates an administrator: how a new installation gets its first account.</summary>
[OperatorCommand("users create-admin", "<user-name>", "create an administrator [--password P] [--display-name N] [--role system-admin|security-admin|audit-admin]")]
internal sealed class CreateAdminCommand(IPasswordHasher<UserAccount> hasher, SecurityAudit audit, TimeProvider time) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandContext context)
    {
        var userName = context.Option("--user-name") ?? context.FirstArgument("--password", "--display-name", "--role");
        if (string.IsNullOrWhiteSpace(userName))
        {
            await context.Error.WriteLineAsync(
                "Usage: users create-admin <user-name> [--password <password>] [--display-name <name>] [--role system-admin|security-admin|audit-admin]");
            return 2;
        }

        var roles = new List<Role>();
        for (var i = 0; i < context.Options.Count - 1; i++)
        {
            if (context.Options[i] == "--role")
            {
                if (!Roles.TryParseClaimValue(context.Options[i + 1], out var role) || !Roles.Administrators.Contains(role))
                {
                    await context.Error.WriteLineAsync($"'{context.Options[i + 1]}' is not an administrator role (system-admin, security-admin, audit-admin).");
                    return 2;
                }

                roles.Add(role);
            }
        }

        if (roles.Count > 1)
        {
            // MLPS level 3 separation of duties: the system, security and audit administrators are different people.
            await context.Error.WriteLineAsync("Give one --role: the system, security and audit administrators must be different accounts (run the command once for each).");
            return 2;
        }

        if (roles.Count == 0)
        {
            // The first administrator creates the other accounts.
            roles = [Role.SecurityAdmin];
        }

        var password = context.Option("--password");
        var generated = password is null;
        password ??= GeneratePassword();
        if (PasswordRules.Check(password, userName) is { } weak)
        {
            await context.Error.WriteLineAsync($"The password is too weak: {weak}");
            return 2;
        }

        await context.MigrateAsync();
        var db = context.Database;
        var normalized = UserAccount.Normalize(userName);
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedUserName == normalized))
        {
            await context.Error.WriteLineAsync($"A user named '{userName}' already exists.");
            return 1;
        }

        var user = new UserAccount(userName, context.Option("--display-name") ?? roles[0].ToChinese(), roles, string.Empty, time.GetUtcNow());
        user.ChangePassword(hasher.HashPassword(user, password), time.GetUtcNow());
        db.Users.Add(user);
        audit.Record(db, SecurityEventKind.AccountCreated, SecuritySubject.User(user),
            $"运维命令创建管理员“{user.DisplayName}”，角色：{roles[0].ToChinese()}", actorName: $"operator:{Environment.UserName}");
        await db.SaveChangesAsync();
        context.Logger.LogInformation("Operator command created administrator {UserName} with roles {Roles}", userName, string.Join(',', roles));
        await context.Out.WriteLineAsync($"Created administrator '{userName}' ({string.Join(", ", roles.Select(r => r.ToClaimValue()))}).");
        if (generated)
        {
            await context.Out.WriteLineAsync("Generated password (shown once; change it after the first login):");
            await context.Out.WriteLineAsync(password);
        }

        return 0;
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var body = RandomNumberGenerator.GetString(alphabet, 14);
        return $"{body[..7]}-{body[7..]}#{RandomNumberGenerator.GetInt32(10, 99)}";
    }
}
