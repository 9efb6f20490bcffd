using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Voltgate.Ocpp.Schemas;
using Voltgate.Ocpp.V16;

namespace Voltgate.Ocpp.Tests.V16;

/// <summary>The records and the validator's schema tables come from the same generator run; prove they agree.</summary>
public class SchemaAgreementTests
{
    public static TheoryData<string> MessageTypes => [.. V16Schemas.ByType.Keys.Select(t => t.Name).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void Record_properties_match_the_schema_names_and_required_flags(string typeName)
    {
        var (type, schema) = V16Schemas.ByType.Single(p => p.Key.Name == typeName);
        AssertAgree(type, schema, depth: 0);
    }

    private static void AssertAgree(Type type, ObjectSchema schema, int depth)
    {
        Assert.True(depth < 8, "schema nesting is shallow in OCPP 1.6");
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name, StringComparer.Ordinal);

        Assert.Equal(schema.Properties.Select(p => p.Name).Order(StringComparer.Ordinal), properties.Keys.Order(StringComparer.Ordinal));
        foreach (var property in schema.Properties)
        {
            var clr = properties[property.Name];
            Assert.True(
                property.Required == (clr.GetCustomAttribute<RequiredMemberAttribute>() is not null),
                $"{type.Name}.{clr.Name}: required in the schema must mean a C# required member");
            Assert.Equal(char.ToUpperInvariant(property.Name[0]) + property.Name[1..], clr.Name);

            var value = property.Value;
            var clrType = Nullable.GetUnderlyingType(clr.PropertyType) ?? clr.PropertyType;
            if (value.Kind == SchemaKind.Array)
            {
                Assert.Equal(typeof(IReadOnlyList<>), clrType.GetGenericTypeDefinition());
                clrType = clrType.GetGenericArguments()[0];
                value = value.Items!;
            }

            var expected = value.Kind switch
            {
                SchemaKind.Integer => typeof(int),
                SchemaKind.Number => typeof(decimal),
                SchemaKind.Boolean => typeof(bool),
                SchemaKind.String when value.Format == StringFormat.DateTime => typeof(DateTimeOffset),
                SchemaKind.String when value.Enum is not null => clrType.IsEnum ? clrType : typeof(Enum),
                SchemaKind.String => typeof(string),
                SchemaKind.Object => clrType,
                _ => throw new InvalidOperationException(),
            };
            Assert.Equal(expected, clrType);
            if (value.Kind == SchemaKind.Object)
            {
                Assert.Equal(value.Object!.Name, clrType.Name);
                AssertAgree(clrType, value.Object, depth + 1);
            }

            if (value.Enum is { } spellings)
            {
                var written = clrType.GetFields(BindingFlags.Public | BindingFlags.Static)
                    .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name);
                Assert.Equal(spellings.Where(s => s != "Celcius").Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
            }
        }
    }
}
