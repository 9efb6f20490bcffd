// Generates the OCPP 1.6 and 2.0.1 message types of Voltgate.Ocpp from the JSON schemas that the npm package
// ocpp-rpc ships (lib/schemas/ocpp1_6.json, errata-corrected, incl. the 1.6 security extension; and
// lib/schemas/ocpp2_0_1.json, the OCA's 2.0.1 schemas).
// The schemas are read from node_modules and never copied into the repository; only the C# is committed.
//
//   cd tools/ocpp-codegen && npm ci && node generate.mjs
//
// Names of inline enums and objects are not in the schemas; they come from the tables below (the spec's
// type names). The script fails when a schema node has no name or when two nodes with the same name differ,
// so a schema update cannot silently produce a wrong type.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const rpcVersion = JSON.parse(readFileSync(require.resolve('ocpp-rpc/package.json'), 'utf8')).version;

// ---- naming tables (1.6) -------------------------------------------------------------------------

/** Inline objects, by property name (arrays: the item type). */
const objectByProperty = {
  idTagInfo: 'IdTagInfo',
  meterValue: 'MeterValue',
  transactionData: 'MeterValue',
  sampledValue: 'SampledValue',
  chargingProfile: 'ChargingProfile',
  csChargingProfiles: 'ChargingProfile',
  chargingSchedule: 'ChargingSchedule',
  chargingSchedulePeriod: 'ChargingSchedulePeriod',
  configurationKey: 'KeyValue',
  localAuthorizationList: 'AuthorizationData',
};

/** Objects and enums from "definitions" (security extension). */
const definitionNames = {
  CertificateHashDataType: 'CertificateHashData',
  LogParametersType: 'LogParameters',
  FirmwareType: 'FirmwareType',
  CertificateSignedStatusEnumType: 'CertificateSignedStatus',
  HashAlgorithmEnumType: 'HashAlgorithm',
  DeleteCertificateStatusEnumType: 'DeleteCertificateStatus',
  MessageTriggerEnumType: 'ExtendedMessageTrigger',
  TriggerMessageStatusEnumType: 'TriggerMessageStatus',
  CertificateUseEnumType: 'CertificateUse',
  GetInstalledCertificateStatusEnumType: 'GetInstalledCertificateStatus',
  LogEnumType: 'LogType',
  LogStatusEnumType: 'LogStatus',
  InstallCertificateStatusEnumType: 'InstallCertificateStatus',
  UploadLogStatusEnumType: 'UploadLogStatus',
  GenericStatusEnumType: 'GenericStatus',
  FirmwareStatusEnumType: 'SignedFirmwareStatus',
  UpdateFirmwareStatusEnumType: 'UpdateFirmwareStatus',
};

/** Inline enums: "<OwnerType>.<property>" first, then the property name alone. Spec type names (OCPP 1.6 ch. 7). */
const enumNames = {
  'IdTagInfo.status': 'AuthorizationStatus',
  'BootNotificationResponse.status': 'RegistrationStatus',
  'CancelReservationResponse.status': 'CancelReservationStatus',
  'ChangeAvailabilityRequest.type': 'AvailabilityType',
  'ChangeAvailabilityResponse.status': 'AvailabilityStatus',
  'ChangeConfigurationResponse.status': 'ConfigurationStatus',
  'ClearCacheResponse.status': 'ClearCacheStatus',
  'ClearChargingProfileResponse.status': 'ClearChargingProfileStatus',
  'DataTransferResponse.status': 'DataTransferStatus',
  'DiagnosticsStatusNotificationRequest.status': 'DiagnosticsStatus',
  'FirmwareStatusNotificationRequest.status': 'FirmwareStatus',
  'GetCompositeScheduleResponse.status': 'GetCompositeScheduleStatus',
  'RemoteStartTransactionResponse.status': 'RemoteStartStopStatus',
  'RemoteStopTransactionResponse.status': 'RemoteStartStopStatus',
  'ReserveNowResponse.status': 'ReservationStatus',
  'ResetRequest.type': 'ResetType',
  'ResetResponse.status': 'ResetStatus',
  'SendLocalListResponse.status': 'UpdateStatus',
  'SetChargingProfileResponse.status': 'ChargingProfileStatus',
  'StatusNotificationRequest.status': 'ChargePointStatus',
  'TriggerMessageResponse.status': 'TriggerMessageStatus',
  'UnlockConnectorResponse.status': 'UnlockStatus',
  chargingProfilePurpose: 'ChargingProfilePurposeType',
  chargingProfileKind: 'ChargingProfileKindType',
  recurrencyKind: 'RecurrencyKindType',
  chargingRateUnit: 'ChargingRateUnitType',
  errorCode: 'ChargePointErrorCode',
  reason: 'Reason',
  updateType: 'UpdateType',
  requestedMessage: 'MessageTrigger',
  context: 'ReadingContext',
  format: 'ValueFormat',
  measurand: 'Measurand',
  phase: 'Phase',
  location: 'Location',
  unit: 'UnitOfMeasure',
};

/** Properties typed string in 1.6 that also accept a JSON number on input (digest §6.9). */
const numberTolerantStrings = new Set(['SampledValue.value']);

/** Enum spellings accepted on input but mapped onto another member (errata: "Celcius"). */
const enumAliases = { UnitOfMeasure: { Celcius: 'Celsius' } };

// ---- versions ------------------------------------------------------------------------------------

// 2.0.1 names every object and enum in "definitions" with the spec's own type name (IdTokenType,
// IdTokenEnumType, ...): those names are kept as they are, so no table is needed and an inline node is an error.
const v16 = {
  label: 'OCPP 1.6', file: 'ocpp1_6.json', folder: 'V16', ns: 'Voltgate.Ocpp.V16', prefix: 'V16',
  objectName: (definition, prop) => (definition ? definitionNames[definition] : objectByProperty[prop]),
  enumName: (definition, ownerKey, prop) => (definition ? definitionNames[definition] : (enumNames[ownerKey] ?? enumNames[prop])),
  numberTolerantStrings, enumAliases,
};
const v201 = {
  label: 'OCPP 2.0.1', file: 'ocpp2_0_1.json', folder: 'V201', ns: 'Voltgate.Ocpp.V201', prefix: 'V201',
  objectName: (definition) => definition,
  enumName: (definition) => definition,
  numberTolerantStrings: new Set(), enumAliases: {},
};

for (const version of [v16, v201]) generate(version);

function generate(version) {
const { label, folder, ns, prefix } = version;
const schemas = JSON.parse(readFileSync(require.resolve(`ocpp-rpc/lib/schemas/${version.file}`), 'utf8'));
const outDir = join(here, '..', '..', 'src', 'Voltgate.Ocpp', folder, 'Generated');
const { numberTolerantStrings, enumAliases } = version;

// ---- model ---------------------------------------------------------------------------------------

const actions = new Map(); // action -> { req, conf }
for (const schema of schemas) {
  const m = /^urn:(\w+)\.(req|conf)$/.exec(schema.$id);
  if (!m) throw new Error(`unexpected $id ${schema.$id}`);
  const entry = actions.get(m[1]) ?? {};
  entry[m[2]] = schema;
  actions.set(m[1], entry);
}

const objects = new Map(); // name -> { name, canonical, props: [{ json, cs, required, type }] }
const enums = new Map(); // name -> { name, values }
const messageTypes = []; // { action, kind, name }

const pascal = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const memberName = (v) => v.split(/[.\-\s]/).filter(Boolean).map(pascal).join('');

function resolve(node, root) {
  if (node.$ref) {
    const m = /^#\/definitions\/(\w+)$/.exec(node.$ref);
    if (!m) throw new Error(`unsupported $ref ${node.$ref}`);
    return { node: root.definitions[m[1]], definition: m[1] };
  }
  return { node, definition: null };
}

const bounds = (n) => [
  ...(n.minimum !== undefined ? [`minimum: ${n.minimum}m`] : []),
  ...(n.maximum !== undefined ? [`maximum: ${n.maximum}m`] : []),
];

// Prose (description, comment, javaType) differs between copies of one 2.0.1 type; only the constraints count.
const prose = new Set(['description', 'comment', 'javaType']);

function canonical(node, root) {
  return JSON.stringify(node, (key, value) => {
    if (prose.has(key)) return undefined;
    if (value && typeof value === 'object' && value.$ref) return resolve(value, root).node;
    return value;
  });
}

function defineEnum(name, values) {
  const existing = enums.get(name);
  if (existing) {
    if (JSON.stringify([...existing.values].sort()) !== JSON.stringify([...values].sort())) {
      throw new Error(`enum ${name} defined twice with different values`);
    }
    return name;
  }
  enums.set(name, { name, values });
  return name;
}

/** Returns a type descriptor { cs, schema } for a property value. */
function typeOf(node, root, owner, prop) {
  const { node: n, definition } = resolve(node, root);
  const ownerKey = `${owner}.${prop}`;
  switch (n.type) {
    case undefined:
      return { cs: 'System.Text.Json.JsonElement', schema: 'AnyValue' };
    case 'string': {
      if (n.enum) {
        const name = version.enumName(definition, ownerKey, prop);
        if (!name) throw new Error(`no enum name for ${ownerKey} (${definition ?? 'inline'})`);
        defineEnum(name, n.enum);
        return { cs: name, schema: `EnumOf(${name}Values)` };
      }
      if (n.format === 'date-time') return { cs: 'DateTimeOffset', schema: 'DateTimeValue' };
      if (n.format === 'uri') return { cs: 'string', schema: 'UriValue' };
      if (n.format) throw new Error(`unsupported format ${n.format} at ${ownerKey}`);
      const lenient = numberTolerantStrings.has(ownerKey);
      const max = n.maxLength ?? null;
      return { cs: 'string', schema: `Str(${max ?? 'null'}${lenient ? ', acceptNumber: true' : ''})`, numberTolerant: lenient };
    }
    case 'integer': {
      const range = bounds(n);
      return { cs: 'int', schema: range.length ? `Int(${range.join(', ')})` : 'IntValue' };
    }
    case 'number': {
      const args = [...(n.multipleOf !== undefined ? [`multipleOf: ${n.multipleOf}m`] : []), ...bounds(n)];
      return { cs: 'decimal', schema: `Num(${args.join(', ')})` };
    }
    case 'boolean':
      return { cs: 'bool', schema: 'BoolValue' };
    case 'array': {
      const item = typeOf(n.items, root, owner, prop);
      const minItems = n.minItems !== undefined ? `, minItems: ${n.minItems}` : '';
      const maxItems = n.maxItems !== undefined ? `, maxItems: ${n.maxItems}` : '';
      return { cs: `IReadOnlyList<${item.cs}>`, schema: `Arr(${item.schema}${minItems}${maxItems})` };
    }
    case 'object': {
      const name = version.objectName(definition, prop);
      if (!name) throw new Error(`no object name for ${ownerKey} (${definition ?? 'inline'})`);
      defineObject(name, n, root);
      return { cs: name, schema: `Obj(${name})` };
    }
    default:
      throw new Error(`unsupported type ${n.type} at ${ownerKey}`);
  }
}

function defineObject(name, node, root) {
  const canon = canonical(node, root);
  const existing = objects.get(name);
  if (existing) {
    if (existing.canonical !== canon) throw new Error(`object ${name} defined twice with different shapes`);
    return existing;
  }
  // CustomDataType (2.0.1) is the one open object: vendors add their own members to it.
  const open = node.additionalProperties !== false;
  if (open && name !== 'CustomDataType') throw new Error(`${name}: additionalProperties must be false`);
  const entry = { name, canonical: canon, props: [], open };
  objects.set(name, entry);
  const required = new Set(node.required ?? []);
  for (const [json, propNode] of Object.entries(node.properties ?? {})) {
    entry.props.push({ json, cs: pascal(json), required: required.has(json), type: typeOf(propNode, root, name, json) });
  }
  for (const r of required) {
    if (!(node.properties ?? {})[r]) throw new Error(`${name}: required ${r} has no property`);
  }
  return entry;
}

for (const [action, { req, conf }] of [...actions.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  if (!req || !conf) throw new Error(`${action}: missing req or conf schema`);
  for (const [kind, schema] of [['Request', req], ['Response', conf]]) {
    const name = `${action}${kind}`;
    defineObject(name, schema, schema);
    messageTypes.push({ action, kind, name });
  }
}

// ---- emit ----------------------------------------------------------------------------------------

const header = `// <auto-generated>
// Generated by tools/ocpp-codegen/generate.mjs from ocpp-rpc ${rpcVersion} lib/schemas/${version.file}; do not edit.
// Regenerate: cd tools/ocpp-codegen && npm ci && node generate.mjs
// </auto-generated>
#nullable enable
`;

function emitRecord(o) {
  const lines = [];
  lines.push(`/// <summary>${label} <c>${o.name}</c>.</summary>`);
  if (o.props.length === 0) {
    lines.push(`public sealed record ${o.name};`);
    return lines.join('\n');
  }
  lines.push(`public sealed record ${o.name}`);
  lines.push('{');
  o.props.forEach((p, i) => {
    if (i > 0) lines.push('');
    lines.push(`    [JsonPropertyName("${p.json}")]`);
    if (p.type.numberTolerant) lines.push('    [JsonConverter(typeof(NumberTolerantStringConverter))]');
    if (p.required) {
      lines.push(`    public required ${p.type.cs} ${p.cs} { get; init; }`);
    } else {
      lines.push('    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]');
      lines.push(`    public ${p.type.cs}? ${p.cs} { get; init; }`);
    }
  });
  lines.push('}');
  return lines.join('\n');
}

function emitEnum(e) {
  const lines = [];
  const aliases = enumAliases[e.name] ?? {};
  const converter = Object.keys(aliases).length ? `${e.name}Converter` : `JsonStringEnumConverter<${e.name}>`;
  lines.push(`/// <summary>${label} <c>${e.name}</c>; serialized as the spec's string spelling.</summary>`);
  lines.push(`[JsonConverter(typeof(${converter}))]`);
  lines.push(`public enum ${e.name}`);
  lines.push('{');
  const members = e.values.filter((v) => !(v in aliases));
  members.forEach((v, i) => {
    if (i > 0) lines.push('');
    lines.push(`    [JsonStringEnumMemberName("${v}")]`);
    lines.push(`    ${memberName(v)},`);
  });
  lines.push('}');
  return lines.join('\n');
}

function emitAliasConverter(e) {
  const aliases = enumAliases[e.name];
  const members = e.values.filter((v) => !(v in aliases));
  const reads = [
    ...members.map((v) => `            "${v}" => ${e.name}.${memberName(v)},`),
    ...Object.entries(aliases).map(([from, to]) => `            "${from}" => ${e.name}.${memberName(to)},`),
  ];
  const writes = members.map((v) => `            ${e.name}.${memberName(v)} => "${v}",`);
  return `/// <summary>Reads and writes <see cref="${e.name}"/> as the spec's spelling; also reads the errata spellings ${Object.keys(aliases).map((a) => `"${a}"`).join(', ')}.</summary>
public sealed class ${e.name}Converter : JsonConverter<${e.name}>
{
    public override ${e.name} Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("${e.name} must be a string.");
        }

        return reader.GetString() switch
        {
${reads.join('\n')}
            _ => throw new JsonException("Unknown ${e.name} value."),
        };
    }

    public override void Write(Utf8JsonWriter writer, ${e.name} value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value switch
        {
${writes.join('\n')}
            _ => throw new JsonException("Unknown ${e.name} value."),
        });
    }
}`;
}

function emitSchemaObject(o) {
  const props = o.props.map((p) => `        new("${p.json}", ${p.required ? 'true' : 'false'}, ${p.type.schema}),`);
  return `    internal static readonly ObjectSchema ${o.name} = new("${o.name}",
    [
${props.join('\n')}
    ]${o.open ? ', allowAdditional: true' : ''});`;
}

mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (f.endsWith('.g.cs')) rmSync(join(outDir, f));
const write = (file, body) => writeFileSync(join(outDir, file), `${header}${body.trimEnd()}\n`);

const usings = `using System.Text.Json.Serialization;\nusing Voltgate.Ocpp.Serialization;\n\nnamespace ${ns};\n\n`;
const messageNames = new Set(messageTypes.map((m) => m.name));

// one file per message pair
for (const action of [...actions.keys()].sort()) {
  const body = [`${action}Request`, `${action}Response`].map((n) => emitRecord(objects.get(n))).join('\n\n');
  write(`${action}.g.cs`, usings + body);
}

// nested object types
const shared = [...objects.values()].filter((o) => !messageNames.has(o.name)).sort((a, b) => a.name.localeCompare(b.name));
write('Types.g.cs', usings + shared.map(emitRecord).join('\n\n'));

// enums
const enumList = [...enums.values()].sort((a, b) => a.name.localeCompare(b.name));
write('Enums.g.cs', `using System.Text.Json;\n${usings}${enumList.map(emitEnum).join('\n\n')}\n\n${enumList.filter((e) => enumAliases[e.name]).map(emitAliasConverter).join('\n\n')}`);

// JSON context
const allTypes = [...messageTypes.map((m) => m.name), ...shared.map((o) => o.name)];
write(`${prefix}JsonContext.g.cs`, `using System.Text.Json.Serialization;
using Voltgate.Ocpp.Serialization;

namespace ${ns};

/// <summary>Source-generated System.Text.Json metadata for every ${label} message: camelCase, enums as strings, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(LenientInt32Converter), typeof(OcppDateTimeOffsetConverter)])]
${allTypes.map((t) => `[JsonSerializable(typeof(${t}))]`).join('\n')}
public sealed partial class ${prefix}JsonContext : JsonSerializerContext;
`);

// schemas for the validator: dependencies first so static initialisation order is right
const ordered = [];
const seen = new Set();
function visit(o) {
  if (seen.has(o.name)) return;
  seen.add(o.name);
  for (const p of o.props) for (const m of p.type.schema.matchAll(/Obj\((\w+)\)/g)) visit(objects.get(m[1]));
  ordered.push(o);
}
[...objects.values()].sort((a, b) => a.name.localeCompare(b.name)).forEach(visit);

write(`${prefix}Schemas.g.cs`, `using System.Collections.Frozen;
using Voltgate.Ocpp.Schemas;
using static Voltgate.Ocpp.Schemas.SchemaBuilders;

namespace ${ns};

/// <summary>The constraints of the ${label} JSON schemas, as data for <see cref="PayloadValidator"/>.</summary>
internal static class ${prefix}Schemas
{
${enumList.map((e) => `    private static readonly string[] ${e.name}Values = [${e.values.map((v) => `"${v}"`).join(', ')}];`).join('\n')}

${ordered.map(emitSchemaObject).join('\n\n')}

    /// <summary>Schema of each message type (request and response records).</summary>
    internal static readonly FrozenDictionary<Type, ObjectSchema> ByType = new Dictionary<Type, ObjectSchema>
    {
${messageTypes.map((m) => `        [typeof(${m.name})] = ${m.name},`).join('\n')}
    }.ToFrozenDictionary();
}
`);

console.log(`wrote ${actions.size} actions, ${shared.length} nested types, ${enumList.length} enums to ${outDir}`);
}
