namespace Voltgate.Ocpp.Schemas;

internal enum SchemaKind
{
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,

    /// <summary>No type given (2.0.1 <c>DataTransfer.data</c>): any JSON value.</summary>
    Any,
}

internal enum StringFormat
{
    None,
    DateTime,
    Uri,
}

/// <summary>The constraints of one JSON value, as far as the OCPP schemas use them.</summary>
internal sealed class ValueSchema
{
    public required SchemaKind Kind { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>A JSON number is accepted where the schema says string (1.6 sampledValue.value, digest §6.9).</summary>
    public bool AcceptNumber { get; init; }

    public StringFormat Format { get; init; }

    // Arrays, not interfaces: the validator runs on every message and a foreach over an interface allocates.
    public string[]? Enum { get; init; }

    public decimal? MultipleOf { get; init; }

    public int MinItems { get; init; }

    /// <summary>maxItems (2.0.1 schemas bound some lists); null when unbounded.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Inclusive lower bound of an integer or number (2.0.1 schemas: e.g. evseId ≥ 0).</summary>
    public decimal? Minimum { get; init; }

    /// <summary>Inclusive upper bound of an integer or number.</summary>
    public decimal? Maximum { get; init; }

    public ValueSchema? Items { get; init; }

    public ObjectSchema? Object { get; init; }
}

internal sealed record PropertySchema(string Name, bool Required, ValueSchema Value)
{
    /// <summary>The name as UTF-8, to match a payload's property names without turning each into a string.</summary>
    public byte[] Utf8Name { get; } = System.Text.Encoding.UTF8.GetBytes(Name);
}

/// <summary>
/// An object with a fixed set of properties (every OCPP 1.6 schema has <c>additionalProperties: false</c>; in 2.0.1
/// all but <c>CustomDataType</c>, which vendors extend at will).
/// </summary>
internal sealed class ObjectSchema
{
    public ObjectSchema(string name, PropertySchema[] properties, bool allowAdditional = false)
    {
        Name = name;
        Properties = properties;
        AllowAdditional = allowAdditional;
        Required = [.. properties.Where(p => p.Required)];
    }

    public string Name { get; }

    /// <summary>Properties beyond <see cref="Properties"/> are accepted and not checked.</summary>
    public bool AllowAdditional { get; }

    public PropertySchema[] Properties { get; }

    public PropertySchema[] Required { get; }

    /// <summary>The property a payload's member names; a linear scan, as OCPP objects have a dozen properties at most.</summary>
    public PropertySchema? Find(System.Text.Json.JsonProperty member)
    {
        foreach (var property in Properties)
        {
            if (member.NameEquals(property.Utf8Name))
            {
                return property;
            }
        }

        return null;
    }
}

/// <summary>Short constructors used by the generated schema tables.</summary>
internal static class SchemaBuilders
{
    public static ValueSchema IntValue { get; } = new() { Kind = SchemaKind.Integer };

    public static ValueSchema Int(decimal? minimum = null, decimal? maximum = null) =>
        new() { Kind = SchemaKind.Integer, Minimum = minimum, Maximum = maximum };

    public static ValueSchema AnyValue { get; } = new() { Kind = SchemaKind.Any };

    public static ValueSchema BoolValue { get; } = new() { Kind = SchemaKind.Boolean };

    public static ValueSchema DateTimeValue { get; } = new() { Kind = SchemaKind.String, Format = StringFormat.DateTime };

    public static ValueSchema UriValue { get; } = new() { Kind = SchemaKind.String, Format = StringFormat.Uri };

    public static ValueSchema Str(int? maxLength, bool acceptNumber = false) =>
        new() { Kind = SchemaKind.String, MaxLength = maxLength, AcceptNumber = acceptNumber };

    public static ValueSchema Num(decimal? multipleOf = null, decimal? minimum = null, decimal? maximum = null) =>
        new() { Kind = SchemaKind.Number, MultipleOf = multipleOf, Minimum = minimum, Maximum = maximum };

    public static ValueSchema EnumOf(string[] values) => new() { Kind = SchemaKind.String, Enum = values };

    public static ValueSchema Arr(ValueSchema items, int minItems = 0, int? maxItems = null) =>
        new() { Kind = SchemaKind.Array, Items = items, MinItems = minItems, MaxItems = maxItems };

    public static ValueSchema Obj(ObjectSchema schema) => new() { Kind = SchemaKind.Object, Object = schema };
}
