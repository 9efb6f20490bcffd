// OCPP 2.0.1 through the same front door and pool (product.md §3, §8): the independent ocpp-rpc client in strict
// mode with protocols ['ocpp2.0.1'] validates every server answer against the OCA 2.0.1 schemas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverSuite, useServer, randomPassword, uniqueIdentity, expectRefused } from './harness.mjs';

const boot = { reason: 'PowerUp', chargingStation: { model: 'KC-P40', vendorName: 'KEBA' } };

serverSuite('OCPP 2.0.1 (privateauth)', () => {
  const ctx = useServer({ before, after });
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  after(async () => { await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {}))); });

  async function arrange(prefix) {
    const s = ctx.server;
    const identity = uniqueIdentity(prefix);
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    return { s, identity, password };
  }

  test('Basic Auth valid: ocpp2.0.1 negotiated; boot Accepted, Heartbeat, StatusNotification, Authorize (strict)', async () => {
    const { s, identity, password } = await arrange('IOP2-BOOT');
    const cli = track(s.client(identity, { password, protocols: ['ocpp2.0.1'] }));
    await s.connect(cli);
    assert.equal(cli.protocol, 'ocpp2.0.1');
    const b = await cli.call('BootNotification', boot);
    assert.equal(b.status, 'Accepted');
    assert.ok(Number.isInteger(b.interval));
    const hb = await cli.call('Heartbeat', {});
    assert.ok(!Number.isNaN(Date.parse(hb.currentTime)));
    assert.deepEqual(await cli.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 }), {});
    const auth = await cli.call('Authorize', { idToken: { idToken: 'NOBODY', type: 'ISO14443' } });
    assert.equal(auth.idTokenInfo.status, 'Invalid');
    await cli.call('MeterValues', { evseId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: 1234.5, measurand: 'Energy.Active.Import.Register' }] }] });
    await cli.close();
  });

  test('Basic Auth wrong password → 401', async () => {
    const { s, identity } = await arrange('IOP2-BAD');
    await expectRefused(track(s.client(identity, { password: randomPassword(24), protocols: ['ocpp2.0.1'] })), 401);
  });

  test('Basic Auth username ≠ identity → 401', async () => {
    const { s, identity, password } = await arrange('IOP2-USR');
    const auth = 'Basic ' + Buffer.from(`someone-else:${password}`).toString('base64');
    await expectRefused(track(s.client(identity, { password: undefined, protocols: ['ocpp2.0.1'], headers: { Authorization: auth } })), 401);
  });

  test('server command in 2.0.1: Reset Immediate answered by the client', async () => {
    const { s, identity, password } = await arrange('IOP2-CMD');
    const cli = track(s.client(identity, { password, protocols: ['ocpp2.0.1'] }));
    cli.handle('Reset', ({ params }) => { assert.equal(params.type, 'Immediate'); return { status: 'Accepted' }; });
    await s.connect(cli);
    await cli.call('BootNotification', boot);
    const res = await s.api('POST', `/api/v1/stations/${encodeURIComponent(identity)}/commands/Reset`, { type: 'Immediate' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.response.status, 'Accepted');
    await cli.close();
  });
});
