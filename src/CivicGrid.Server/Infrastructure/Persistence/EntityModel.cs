using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Server.Infrastructure.Persistence;

/// <summary>
/// What an entity configuration may need besides its entity: the database provider (for PostGIS column types and
/// indexes) and query filters bound to the caller's scope. Every <see cref="IEntityTypeConfiguration{TEntity}"/> in the
/// server assembly is applied by <see cref="CivicGridDbContext"/>; one whose constructor takes an
/// <see cref="EntityModel"/> gets this one, so a feature keeps its tables, indexes and scope rule beside its entities.
/// </summary>
/// <remarks>
/// The filters read the scope from the context a query runs on (EF Core turns the context's members into query
/// parameters), so one compiled model serves every caller.
/// </remarks>
public sealed class EntityModel
{
    private readonly ConstantExpression _context;

    private readonly Privacy.FieldVault? _vault;

    internal EntityModel(CivicGridDbContext context, DatabaseProvider provider, Privacy.FieldVault? vault)
    {
        _vault = vault;
        // Typed as the base context, as `this` is in a lambda written inside OnModelCreating: EF Core recognises it
        // and replaces it with the context that runs each query.
        _context = Expression.Constant(context, typeof(CivicGridDbContext));
        Provider = provider;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>True on PostgreSQL/PostGIS, where geometry columns get a type and spatial indexes use GiST.</summary>
    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary>
    /// A query filter in terms of the caller's scope: <paramref name="filter"/> gets the scope (<see cref="QueryScope"/>)
    /// and the row. Code that must see every row asks for it with <c>IgnoreQueryFilters()</c> or runs under
    /// <see cref="Domain.Accounts.Scope.System"/>.
    /// </summary>
    public Expression<Func<T, bool>> Scoped<T>(Expression<Func<QueryScope, T, bool>> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var scope = filter.Parameters[0];
        var body = new ScopeBinder(scope, _context).Visit(filter.Body);
        return Expression.Lambda<Func<T, bool>>(body, filter.Parameters[1]);
    }

    /// <summary>
    /// The common rule: the whole system sees every row; staff see the rows whose code lies in their subtree (starts
    /// with their scope code); a resident (own records only) sees none.
    /// </summary>
    public Expression<Func<T, bool>> InSubtree<T>(Expression<Func<T, string>> code)
    {
        ArgumentNullException.ThrowIfNull(code);
        Expression<Func<QueryScope, string, bool>> rule = (s, c) => s.IsWholeSystem || (!s.OwnRecordsOnly && c.StartsWith(s.Code));
        return Scoped(Compose<T, string>(rule, code));
    }

    /// <summary>Personal rows (an inbox, a follow): the whole system sees every row, anyone else only their own.</summary>
    public Expression<Func<T, bool>> Personal<T>(Expression<Func<T, Guid>> user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Expression<Func<QueryScope, Guid, bool>> rule = (s, u) => s.IsWholeSystem || u == s.UserId;
        return Scoped(Compose<T, Guid>(rule, user));
    }

    /// <summary>Personal rows whose user column may be empty (a follower known only by phone): never visible but to the whole system.</summary>
    public Expression<Func<T, bool>> Personal<T>(Expression<Func<T, Guid?>> user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Expression<Func<QueryScope, Guid?, bool>> rule = (s, u) => s.IsWholeSystem || u == s.UserId;
        return Scoped(Compose<T, Guid?>(rule, user));
    }

    /// <summary>
    /// Seals a column of personal data at rest (<see cref="SealedColumns"/>, ADR 0019): the entity keeps the clear value, the
    /// column holds it under AES-GCM with <paramref name="field"/> as associated data (never change a field's name: its
    /// values would no longer open). The column is widened to a sealed value's length. A sealed column cannot be compared
    /// in SQL (each value has its own nonce): search it through <see cref="BlindIndex{T}"/>.
    /// </summary>
    /// <param name="clearLength">The longest clear value in characters, when above 50 (the column is sized for it sealed).</param>
    public PropertyBuilder<TText> Sealed<TText>(PropertyBuilder<TText> property, string field, int clearLength = 50)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.HasMaxLength(Privacy.FieldVault.SealedLength(clearLength)).HasConversion(new SealedColumns.Converter(_vault, field))
            .HasAnnotation(SealedColumns.FieldAnnotation, field);
    }

    /// <summary>
    /// A column whose entity stores values it sealed itself (the household register's residents): no converter, but the key
    /// rotation (<see cref="ColumnSealer"/>) re-seals it with the others. <paramref name="field"/> is the associated data
    /// the entity seals with.
    /// </summary>
    public PropertyBuilder<TText> SealedByEntity<TText>(PropertyBuilder<TText> property, string field)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.HasMaxLength(Privacy.FieldVault.MaxSealedLength).HasAnnotation(SealedColumns.FieldAnnotation, field);
    }

    /// <summary>
    /// A blind index column beside a sealed one (a shadow property named <paramref name="indexProperty"/>): the HMAC of the
    /// normalised value under the index key, set on every save that adds or changes the value, for exact-match search
    /// (<c>Privacy.FieldVault.Index(kind, text)</c>) and unique indexes. <paramref name="kind"/> is the vault's field kind
    /// (<c>phone</c>, <c>name</c>, <c>idNumber</c>), so one phone has one index in every table.
    /// </summary>
    public PropertyBuilder<string?> BlindIndex<T>(EntityTypeBuilder<T> entity, string sealedProperty, string kind, string indexProperty)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.Property<string?>(indexProperty).HasMaxLength(Privacy.FieldVault.IndexLength)
            .HasAnnotation(SealedColumns.IndexAnnotation, $"{sealedProperty}\n{kind}");
    }

    /// <summary>rule(scope, selector(row)) as a lambda of (scope, row).</summary>
    private static Expression<Func<QueryScope, T, bool>> Compose<T, TValue>(Expression<Func<QueryScope, TValue, bool>> rule,
        Expression<Func<T, TValue>> selector)
    {
        var row = selector.Parameters[0];
        var body = new Replace(rule.Parameters[1], selector.Body).Visit(rule.Body);
        return Expression.Lambda<Func<QueryScope, T, bool>>(body, rule.Parameters[0], row);
    }

    /// <summary>Applies every entity configuration of the server assembly, giving this model to those that ask for it.</summary>
    internal void ApplyConfigurations(ModelBuilder modelBuilder)
    {
        var apply = typeof(ModelBuilder).GetMethods().Single(m => m.Name == nameof(ModelBuilder.ApplyConfiguration)
            && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>));
        foreach (var (type, entity) in Configurations.Value)
        {
            var instance = type.GetConstructor([typeof(EntityModel)]) is { } withModel
                ? withModel.Invoke([this])
                : Activator.CreateInstance(type, nonPublic: true)!;
            apply.MakeGenericMethod(entity).Invoke(modelBuilder, [instance]);
        }
    }

    /// <summary>Every (configuration, entity) pair in the server assembly, in a stable order (by full name).</summary>
    private static readonly Lazy<List<(Type Type, Type Entity)>> Configurations = new(() =>
        [.. typeof(EntityModel).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>))
                .Select(i => (Type: t, Entity: i.GetGenericArguments()[0])))
            .OrderBy(c => c.Type.FullName, StringComparer.Ordinal)]);

    /// <summary>Turns the scope parameter's members into the context's scope members.</summary>
    private sealed class ScopeBinder(ParameterExpression scope, ConstantExpression context) : ExpressionVisitor
    {
        private static readonly Dictionary<string, PropertyInfo> Members = new()
        {
            [nameof(QueryScope.IsWholeSystem)] = Property(nameof(CivicGridDbContext.ScopeIsWholeSystem)),
            [nameof(QueryScope.OwnRecordsOnly)] = Property(nameof(CivicGridDbContext.ScopeIsOwnRecordsOnly)),
            [nameof(QueryScope.Code)] = Property(nameof(CivicGridDbContext.ScopeCode)),
            [nameof(QueryScope.UserId)] = Property(nameof(CivicGridDbContext.ScopeUserId)),
            [nameof(QueryScope.OwnCasesOnly)] = Property(nameof(CivicGridDbContext.ScopeIsOwnCasesOnly)),
        };

        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == scope ? Expression.Property(context, Members[node.Member.Name]) : base.VisitMember(node);

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == scope ? throw new InvalidOperationException("A scope filter may read the scope's members, not the scope itself.") : node;

        private static PropertyInfo Property(string name) =>
            typeof(CivicGridDbContext).GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>
/// The caller's scope as a query filter sees it (<see cref="EntityModel.Scoped{T}"/>); only its members may be used,
/// and each becomes a parameter of the query.
/// </summary>
public abstract class QueryScope
{
    private protected QueryScope()
    {
    }

    /// <summary>The system itself (jobs, the locator index, login): every row.</summary>
    public abstract bool IsWholeSystem { get; }

    /// <summary>A resident: only the rows they own.</summary>
    public abstract bool OwnRecordsOnly { get; }

    /// <summary>The code of the caller's subtree (a prefix of every grid code inside it).</summary>
    public abstract string Code { get; }

    public abstract Guid UserId { get; }

    /// <summary>Property staff and volunteers: of the cases, only those they reported or are assigned (<see cref="Domain.Accounts.Scope.OwnCasesOnly"/>).</summary>
    public abstract bool OwnCasesOnly { get; }
}
