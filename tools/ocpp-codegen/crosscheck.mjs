// Dev-only cross-check (not part of the test suite): runs the payloads of the C# tests through ocpp-rpc's own
// Ajv validator, so our golden payloads are proven valid and our violation cases invalid by an independent engine.
//   cd tools/ocpp-codegen && npm ci && node crosscheck.mjs
// Cases our validator accepts on purpose (digest §6.8/§6.9) are listed as leniencies and reported, not failed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { createValidator } = require('ocpp-rpc');
const validator = createValidator('ocpp1.6', require('ocpp-rpc/lib/schemas/ocpp1_6.json'));
const testsDir = join(here, '..', '..', 'tests', 'Voltgate.Ocpp.Tests', 'V16');

const check = (action, kind, payload) => {
  try {
    validator.validate(`urn:${action}.${kind}`, payload);
    return null;
  } catch (err) {
    return `${err.rpcErrorCode ?? err.name}: ${err.message}`;
  }
};

let failures = 0;
const literal = /"""(.*?)"""|"(\{\})"/gs;

// 1. golden payloads: every one must be valid for ocpp-rpc too
const golden = readFileSync(join(testsDir, 'GoldenPayloads.cs'), 'utf8');
const entries = [...golden.matchAll(/\["(\w+)"\] = \((.*?)\),\s*$/gms)];
for (const [, action, body] of entries) {
  const [request, response] = [...body.matchAll(literal)].map((m) => JSON.parse(m[1] ?? m[2]));
  for (const [kind, payload] of [['req', request], ['conf', response]]) {
    const error = check(action, kind, payload);
    if (error) {
      failures++;
      console.log(`FAIL golden ${action}.${kind}: ocpp-rpc rejects it (${error})`);
    }
  }
}
console.log(`golden: ${entries.length} actions checked`);

// 2. violation cases: every one must be invalid for ocpp-rpc too
const validation = readFileSync(join(testsDir, 'ValidationTests.cs'), 'utf8');
// Stricter by design: the C# types use int (32-bit) where the schema says "integer" without bounds.
const stricterByDesign = new Set(['meterStart: out of range for a 32-bit integer']);
const violations = [...validation.matchAll(/\{ "(\w+)", (?:"""(.*?)"""|"(.*?)"), "(\w+)", "(.*?)" \},/g)];
for (const [, action, raw, quoted, code, description] of violations) {
  const json = raw ?? JSON.parse(`"${quoted}"`);
  const error = check(action, 'req', JSON.parse(json));
  if (!error && stricterByDesign.has(description)) {
    console.log(`stricter by design: ${action} "${description}": ocpp-rpc accepts it`);
  } else if (!error) {
    failures++;
    console.log(`FAIL violation ${action} "${description}" (${code}): ocpp-rpc accepts it`);
  }
}
console.log(`violations: ${violations.length} cases checked`);

// 3. deliberate leniencies: report how ocpp-rpc sees them
const leniencies = [
  ['StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0.0, timestamp: '2025-01-02T03:04:05Z' }, 'integral float (JSON.parse makes 0.0 an integer, so Ajv agrees)'],
  ['MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-01-02T03:04:05Z', sampledValue: [{ value: 230.5 }] }] }, 'numeric sampledValue.value'],
  ['StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: '2025-01-02T03:04:05' }, 'timestamp without offset (read as UTC)'],
];
for (const [action, payload, what] of leniencies) {
  console.log(`leniency ${what}: ocpp-rpc ${check(action, 'req', payload) ? 'rejects' : 'accepts'}`);
}

console.log(failures === 0 ? 'crosscheck OK' : `crosscheck: ${failures} disagreement(s)`);
process.exitCode = failures === 0 ? 0 : 1;
