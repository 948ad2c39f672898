using System.Reflection;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CivicGrid.Server.Infrastructure.Http;

/// <summary>
/// A query-string bag that reads itself (a static <c>BindAsync</c>, so that every bad value is reported at once): its
/// properties are described in the OpenAPI document as typed query parameters, named by their <see cref="FromQueryAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TypedQueryAttribute : Attribute;

/// <summary>
/// A text field read leniently (so that its error is reported with the others) whose values are those of an enum: the
/// OpenAPI document lists the enum's API names (<see cref="ApiEnums"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class ApiEnumAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;

    /// <summary>The API names of <see cref="EnumType"/>.</summary>
    public IReadOnlyList<string> Names() =>
        (IReadOnlyList<string>)typeof(ApiEnums).GetMethod(nameof(ApiEnums.Names))!.MakeGenericMethod(EnumType).Invoke(null, null)!;
}

/// <summary>
/// A text field (or a list of them) whose values are a fixed list of names kept as a static
/// list of strings (e.g. <c>CaseVerbs.All</c>): the OpenAPI document lists them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class ApiValuesAttribute(Type holder, string member) : Attribute
{
    public Type Holder { get; } = holder;

    public string Member { get; } = member;

    public IReadOnlyList<string> Names() =>
        [.. (IEnumerable<string>)Holder.GetProperty(Member, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!];
}

/// <summary>
/// A query parameter taken as text and read by the handler (so that its error is reported with the others, in Chinese)
/// that carries a value of <see cref="Type"/>: the OpenAPI document describes it as that type.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class ApiTypeAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}

/// <summary>The OpenAPI transformers that make the document as typed as the API.</summary>
public static class OpenApiContract
{
    /// <summary>The server's XML documentation, for the descriptions of the parameters this class describes itself.</summary>
    private static readonly Lazy<XDocument?> Documentation = new(() =>
    {
        var path = Path.ChangeExtension(typeof(OpenApiContract).Assembly.Location, ".xml");
        return File.Exists(path) ? XDocument.Load(path) : null;
    });

    public static OpenApiOptions AddTypedContract(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ApiEnumAttribute), false) is [ApiEnumAttribute named, ..])
            {
                schema.Enum = [.. named.Names().Select(n => (JsonNode)JsonValue.Create(n))];
            }

            if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ApiValuesAttribute), false) is [ApiValuesAttribute listed, ..])
            {
                var target = schema.Items as OpenApiSchema ?? schema;
                target.Type = JsonSchemaType.String;
                target.Enum = [.. listed.Names().Select(n => (JsonNode)JsonValue.Create(n))];
            }

            // The names the enum converter writes are strings; say so, so that generated clients type them as string unions.
            if (context.JsonTypeInfo.Type.IsEnum && schema.Enum is { Count: > 0 } && schema.Type is null)
            {
                schema.Type = JsonSchemaType.String;
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer(DescribeTypedQueries);
        return options;
    }

    /// <summary>A property's XML summary on one line, or null.</summary>
    private static string? SummaryOf(PropertyInfo property)
    {
        var id = $"P:{property.DeclaringType?.FullName}.{property.Name}";
        var summary = Documentation.Value?.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == id)?.Element("summary")?.Value;
        return summary is null ? null : string.Join(' ', summary.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// Replaces a <see cref="TypedQueryAttribute"/> bag's parameter by one query parameter per property, and lists the
    /// type or the values of a text parameter marked <see cref="ApiTypeAttribute"/>, <see cref="ApiEnumAttribute"/> or
    /// <see cref="ApiValuesAttribute"/>.
    /// </summary>
    private static async Task DescribeTypedQueries(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var method = context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
        var bags = method?.GetParameters().Where(p => p.ParameterType.GetCustomAttribute<TypedQueryAttribute>() is not null).ToList() ?? [];
        if (method is null || (bags.Count == 0 && !method.GetParameters().Any(p =>
                p.IsDefined(typeof(ApiEnumAttribute), false) || p.IsDefined(typeof(ApiValuesAttribute), false) || p.IsDefined(typeof(ApiTypeAttribute), false))))
        {
            return;
        }

        operation.Parameters ??= [];
        foreach (var named in method.GetParameters())
        {
            if (operation.Parameters.FirstOrDefault(p => p.Name == named.Name) is not OpenApiParameter parameter)
            {
                continue;
            }

            if (named.GetCustomAttribute<ApiTypeAttribute>() is { } typed)
            {
                parameter.Schema = await context.GetOrCreateSchemaAsync(typed.Type, null, ct);
            }

            var values = named.GetCustomAttribute<ApiEnumAttribute>()?.Names() ?? named.GetCustomAttribute<ApiValuesAttribute>()?.Names();
            if (values is not null && parameter.Schema is OpenApiSchema schema)
            {
                schema.Enum = [.. values.Select(n => (JsonNode)JsonValue.Create(n))];
            }
        }

        foreach (var bag in bags)
        {
            foreach (var stale in operation.Parameters.Where(p => p.Name == bag.Name).ToList())
            {
                operation.Parameters.Remove(stale);
            }

            foreach (var property in bag.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<FromQueryAttribute>()?.Name is not { } name)
                {
                    continue;
                }

                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Description = SummaryOf(property),
                    Schema = await context.GetOrCreateSchemaAsync(type, null, ct),
                });
            }
        }
    }
}
