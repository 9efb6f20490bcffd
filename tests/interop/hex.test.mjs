// Hex-format secrets: a station may send a hex AuthorizationKey as its text (KEBA x-series) or as the
// hex-decoded bytes (OCPP 1.6 conformance tool). Pool flag "Is hex" plus tenant setting hexMatching
// (Lenient | Strict) decide which form matches (docs/security.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverSuite, useServer, randomHex, uniqueIdentity, expectRefused, bootAccepted,
} from './harness.mjs';

serverSuite('hex passwords (privateauth)', () => {
  const ctx = useServer({ before, after });
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  after(async () => { await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {}))); });

  /** Fresh station + pool entry with a 40-char hex secret; returns { identity, hex, bytes }. */
  async function setup(prefix, isHex) {
    const s = ctx.server;
    const identity = uniqueIdentity(prefix);
    const hex = randomHex(40);
    await s.addPassword(hex, { isHex });
    await s.addStation(identity, ['privateauth']);
    return { identity, hex, bytes: Buffer.from(hex, 'hex') };
  }

  async function expectAccepted(identity, password) {
    const cli = track(ctx.server.client(identity, { password }));
    await ctx.server.connect(cli);
    await bootAccepted(cli);
    await cli.close();
  }

  async function expectRefusedWith(identity, password, reason, secretForms) {
    await expectRefused(track(ctx.server.client(identity, { password })), 401);
    const { attempt, text } = await ctx.server.waitForAttempt(identity, (a) => a.result === 'Refused');
    assert.equal(attempt.reason, reason, `attempt: ${JSON.stringify(attempt)}`);
    assert.equal(attempt.variant, 'privateauth', `attempt: ${JSON.stringify(attempt)}`);
    for (const form of secretForms) assert.ok(!text.includes(form), 'connection attempts must never contain the secret');
  }

  // ---- Is hex = NO, 40 hex characters (the KEBA x-series setup) -------------------------------------------

  test('isHex=false, Lenient: station sends the hex text (KEBA) → accepted', async () => {
    await ctx.server.putSettings({ hexMatching: 'Lenient' });
    const { identity, hex } = await setup('IOP-HEXT-L', false);
    await expectAccepted(identity, hex);
  });

  test('isHex=false, Strict: station sends the hex text (KEBA) → accepted', async () => {
    await ctx.server.putSettings({ hexMatching: 'Strict' });
    const { identity, hex } = await setup('IOP-HEXT-S', false);
    await expectAccepted(identity, hex);
  });

  test('isHex=false, Lenient: station sends the hex-decoded bytes → accepted', async () => {
    await ctx.server.putSettings({ hexMatching: 'Lenient' });
    const { identity, bytes } = await setup('IOP-HEXB-L', false);
    await expectAccepted(identity, bytes);
  });

  test('isHex=false, Strict: station sends the hex-decoded bytes → 401, reason PasswordMatchesOnlyOtherHexForm', async () => {
    await ctx.server.putSettings({ hexMatching: 'Strict' });
    const { identity, hex, bytes } = await setup('IOP-HEXB-S', false);
    await expectRefusedWith(identity, bytes, 'PasswordMatchesOnlyOtherHexForm', [hex, hex.toUpperCase()]);
  });

  // ---- Is hex = YES -----------------------------------------------------------------------------------------

  test('isHex=true, Lenient: station sends the hex-decoded bytes → accepted', async () => {
    await ctx.server.putSettings({ hexMatching: 'Lenient' });
    const { identity, bytes } = await setup('IOP-XB-L', true);
    await expectAccepted(identity, bytes);
  });

  test('isHex=true, Strict: station sends the hex-decoded bytes → accepted', async () => {
    await ctx.server.putSettings({ hexMatching: 'Strict' });
    const { identity, bytes } = await setup('IOP-XB-S', true);
    await expectAccepted(identity, bytes);
  });

  test('isHex=true, Lenient: station sends the hex text → accepted', async () => {
    await ctx.server.putSettings({ hexMatching: 'Lenient' });
    const { identity, hex } = await setup('IOP-XT-L', true);
    await expectAccepted(identity, hex);
  });

  test('isHex=true, Strict: station sends the hex text → 401, reason PasswordMatchesOnlyOtherHexForm', async () => {
    await ctx.server.putSettings({ hexMatching: 'Strict' });
    const { identity, hex } = await setup('IOP-XT-S', true);
    await expectRefusedWith(identity, hex, 'PasswordMatchesOnlyOtherHexForm', [hex, hex.toUpperCase()]);
  });

  test('settings round-trip: GET /api/v1/ocpp-security/settings reflects the last PUT', async () => {
    await ctx.server.putSettings({ hexMatching: 'Strict' });
    const res = await ctx.server.api('GET', '/api/v1/ocpp-security/settings', undefined, 200);
    assert.equal(res.json?.hexMatching, 'Strict', res.text);
    assert.equal(res.json?.unknownStationPolicy, 'Reject', res.text);
    assert.equal(res.json?.assumeOcpp16WhenNoSubprotocol, true, res.text);
    assert.equal(res.json?.heartbeatIntervalSeconds, 300, res.text);
  });
});
