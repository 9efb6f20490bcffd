using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Voltgate.Ocpp.Serialization;

namespace Voltgate.Ocpp.Schemas;

/// <summary>
/// Checks a payload against an <see cref="ObjectSchema"/> before it is deserialised: required properties, JSON types,
/// maxLength (in Unicode code points, as JSON Schema counts), enum membership, no extra properties, minItems,
/// multipleOf, date-time and uri formats. Reports the first violation with the 1.6 error code and a description
/// that names the path and the rule but never the value.
/// </summary>
/// <remarks>
/// Deliberate leniencies (OCPP digest §6.8/§6.9): integral numbers such as <c>0.0</c> are integers; a number is
/// accepted where a property is marked <see cref="ValueSchema.AcceptNumber"/>; timestamps without an offset are read
/// as UTC. Everything this accepts, <see cref="V16.V16JsonContext"/> deserialises.
/// </remarks>
internal static class PayloadValidator
{
    internal const string FormationViolation = "FormationViolation";
    internal const string TypeConstraintViolation = "TypeConstraintViolation";
    internal const string OccurenceConstraintViolation = "OccurenceConstraintViolation";
    internal const string PropertyConstraintViolation = "PropertyConstraintViolation";

    private const int MaxReportedNameLength = 40;
    private const string UnrecognisedProperty = "(unrecognised property)";
    private const string UnreadableRule = "not readable text (an unpaired UTF-16 surrogate escape)";

    public static OcppValidationError? Validate(JsonElement payload, ObjectSchema schema)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return new OcppValidationError(FormationViolation, "payload: not a JSON object");
        }

        // A string the JSON reader accepts but that is not text (a lone surrogate escape) makes every read of it
        // throw, the schema checks' included: such a payload is refused first. Without a \u escape there is none.
        if (JsonMarshal.GetRawUtf8Value(payload).IndexOf("\\u"u8) >= 0 && FindUnreadable(payload) is { } unreadable)
        {
            return unreadable.ToError();
        }

        return ValidateObject(payload, schema)?.ToError();
    }

    private static Failure? FindUnreadable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !JsonStrings.IsReadable(element):
                return new Failure(FormationViolation, UnreadableRule);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (JsonStrings.NameOrNull(property) is not { } name)
                    {
                        return new Failure(FormationViolation, UnreadableRule).At(UnrecognisedProperty);
                    }

                    if (FindUnreadable(property.Value) is { } failure)
                    {
                        return failure.At(ReportableName(name));
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnreadable(item) is { } failure)
                    {
                        return failure.At($"[{index.ToString(CultureInfo.InvariantCulture)}]");
                    }

                    index++;
                }

                return null;
            default:
                return null;
        }
    }

    private static Failure? ValidateObject(JsonElement element, ObjectSchema schema)
    {
        foreach (var required in schema.Required)
        {
            if (!element.TryGetProperty(required.Name, out _))
            {
                return new Failure(OccurenceConstraintViolation, "required property missing").At(required.Name);
            }
        }

        foreach (var property in element.EnumerateObject())
        {
            if (schema.Find(property) is not { } propertySchema)
            {
                if (schema.AllowAdditional)
                {
                    continue;
                }

                return new Failure(OccurenceConstraintViolation, "property not allowed").At(ReportableName(property.Name));
            }

            var failure = ValidateValue(property.Value, propertySchema.Value);
            if (failure is not null)
            {
                return failure.At(propertySchema.Name);
            }
        }

        return null;
    }

    private static Failure? ValidateValue(JsonElement element, ValueSchema schema) => schema.Kind switch
    {
        SchemaKind.String => ValidateString(element, schema),
        SchemaKind.Integer => ValidateInteger(element) ?? ValidateRange(element, schema),
        SchemaKind.Number => ValidateNumber(element, schema) ?? ValidateRange(element, schema),
        SchemaKind.Boolean => element.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? null
            : new Failure(TypeConstraintViolation, "expected a boolean"),
        SchemaKind.Array => ValidateArray(element, schema),
        SchemaKind.Object => element.ValueKind == JsonValueKind.Object
            ? ValidateObject(element, schema.Object!)
            : new Failure(TypeConstraintViolation, "expected an object"),
        SchemaKind.Any => null,
        _ => throw new InvalidOperationException($"Unknown schema kind {schema.Kind}."),
    };

    private static Failure? ValidateString(JsonElement element, ValueSchema schema)
    {
        if (element.ValueKind == JsonValueKind.Number && schema.AcceptNumber)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return new Failure(TypeConstraintViolation, "expected a string");
        }

        if (schema.Enum is { } allowed)
        {
            foreach (var value in allowed)
            {
                if (element.ValueEquals(value))
                {
                    return null;
                }
            }

            return new Failure(TypeConstraintViolation, "not one of the allowed values");
        }

        // The raw token (quotes and escapes included) is at least as long as the text in code points, so a short
        // raw token passes maxLength without the text being materialised; so does a date-time without escapes.
        var raw = JsonMarshal.GetRawUtf8Value(element)[1..^1];
        switch (schema.Format)
        {
            case StringFormat.DateTime when !OcppJsonValues.TryGetTimestamp(element, out _):
                return new Failure(TypeConstraintViolation, "not an ISO 8601 date-time");
            case StringFormat.Uri when !Uri.TryCreate(element.GetString(), UriKind.Absolute, out _):
                return new Failure(TypeConstraintViolation, "not an absolute URI");
        }

        if (schema.MaxLength is { } maxLength && raw.Length > maxLength && CodePoints(element.GetString()!) > maxLength)
        {
            return new Failure(PropertyConstraintViolation, $"longer than {maxLength.ToString(CultureInfo.InvariantCulture)} characters");
        }

        return null;
    }

    private static Failure? ValidateInteger(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            return new Failure(TypeConstraintViolation, "expected an integer");
        }

        if (element.TryGetInt32(out _))
        {
            return null;
        }

        // Not a plain int32 literal: an integral float such as 0.0 or 1e2 (accepted), a fraction, or out of range.
        if (element.TryGetDecimal(out var number))
        {
            if (decimal.Truncate(number) != number)
            {
                return new Failure(TypeConstraintViolation, "expected an integer");
            }

            return number is >= int.MinValue and <= int.MaxValue
                ? null
                : new Failure(PropertyConstraintViolation, "out of range for a 32-bit integer");
        }

        return element.TryGetDouble(out var big) && double.IsFinite(big) && !double.IsInteger(big)
            ? new Failure(TypeConstraintViolation, "expected an integer")
            : new Failure(PropertyConstraintViolation, "out of range for a 32-bit integer");
    }

    private static Failure? ValidateNumber(JsonElement element, ValueSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            return new Failure(TypeConstraintViolation, "expected a number");
        }

        if (!element.TryGetDecimal(out var number))
        {
            return new Failure(PropertyConstraintViolation, "out of range for a decimal number");
        }

        if (schema.MultipleOf is { } step && number % step != 0)
        {
            return new Failure(PropertyConstraintViolation, $"not a multiple of {step.ToString(CultureInfo.InvariantCulture)}");
        }

        return null;
    }

    /// <summary>minimum / maximum; called only after the type check passed, so the value is a number.</summary>
    private static Failure? ValidateRange(JsonElement element, ValueSchema schema)
    {
        if (schema.Minimum is null && schema.Maximum is null)
        {
            return null;
        }

        // Out of decimal range: far beyond any bound the OCPP schemas set.
        if (!element.TryGetDecimal(out var number))
        {
            return new Failure(PropertyConstraintViolation, "out of range");
        }

        if (schema.Minimum is { } min && number < min)
        {
            return new Failure(PropertyConstraintViolation, $"less than {min.ToString(CultureInfo.InvariantCulture)}");
        }

        return schema.Maximum is { } max && number > max
            ? new Failure(PropertyConstraintViolation, $"greater than {max.ToString(CultureInfo.InvariantCulture)}")
            : null;
    }

    private static Failure? ValidateArray(JsonElement element, ValueSchema schema)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return new Failure(TypeConstraintViolation, "expected an array");
        }

        if (element.GetArrayLength() < schema.MinItems)
        {
            return new Failure(OccurenceConstraintViolation, $"fewer than {schema.MinItems.ToString(CultureInfo.InvariantCulture)} items");
        }

        if (schema.MaxItems is { } maxItems && element.GetArrayLength() > maxItems)
        {
            return new Failure(OccurenceConstraintViolation, $"more than {maxItems.ToString(CultureInfo.InvariantCulture)} items");
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var failure = ValidateValue(item, schema.Items!);
            if (failure is not null)
            {
                return failure.At($"[{index.ToString(CultureInfo.InvariantCulture)}]");
            }

            index++;
        }

        return null;
    }

    /// <summary>JSON Schema counts characters as code points: a surrogate pair is one character.</summary>
    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (!char.IsLowSurrogate(c))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>An unknown property's name goes into the description only when it looks like an identifier.</summary>
    private static string ReportableName(string name) =>
        name.Length is > 0 and <= MaxReportedNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? name
            : UnrecognisedProperty;

    /// <summary>A violation found deep in the tree; the path is collected on the way back up.</summary>
    private sealed class Failure(string code, string rule)
    {
        private readonly List<string> _reversedPath = [];

        public Failure At(string segment)
        {
            _reversedPath.Add(segment);
            return this;
        }

        public OcppValidationError ToError()
        {
            var path = new System.Text.StringBuilder();
            for (var i = _reversedPath.Count - 1; i >= 0; i--)
            {
                var segment = _reversedPath[i];
                if (path.Length > 0 && segment[0] != '[')
                {
                    path.Append('.');
                }

                path.Append(segment);
            }

            return new OcppValidationError(code, $"{path}: {rule}");
        }
    }
}
