// privateauth variant (ws, HTTP Basic Auth, tenant default): OCPP 1.6 message flow and handshake refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverSuite, useServer, randomPassword, uniqueIdentity, expectRefused, bootAccepted, bootPayload,
} from './harness.mjs';

serverSuite('privateauth (ws://…/ocpp/{identity})', () => {
  const ctx = useServer({ before, after });
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  after(async () => { await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {}))); });

  test('valid password: connect, BootNotification Accepted with integer interval, connection attempt recorded as Accepted', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-BOOT');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const cli = track(s.client(identity, { password }));
    await s.connect(cli);
    assert.equal(cli.protocol, 'ocpp1.6', 'server must select ocpp1.6');
    await bootAccepted(cli);
    const { attempt, text } = await s.waitForAttempt(identity, (a) => a.result === 'Accepted');
    assert.equal(attempt.variant, 'privateauth', `attempt: ${JSON.stringify(attempt)}`);
    assert.ok(String(attempt.sourceAddress).includes(cli.sourceAddress), `sourceAddress ${attempt.sourceAddress}, client bound to ${cli.sourceAddress}`);
    assert.ok(JSON.stringify(attempt.offeredSubprotocols).includes('ocpp1.6'), `offeredSubprotocols: ${JSON.stringify(attempt.offeredSubprotocols)}`);
    assert.ok(!text.includes(password), 'connection attempts must never contain the password');
    await cli.close();
  });

  test('Heartbeat → currentTime; StatusNotification → {}; Authorize with an unknown idTag → Invalid (strict schema validation)', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-MSG');
    const password = randomPassword(32);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const cli = track(s.client(identity, { password }));
    await s.connect(cli);
    await bootAccepted(cli);

    const hb = await cli.call('Heartbeat', {});
    assert.equal(typeof hb.currentTime, 'string');
    assert.ok(!Number.isNaN(Date.parse(hb.currentTime)), `currentTime is not a date: ${hb.currentTime}`);
    assert.ok(Math.abs(Date.parse(hb.currentTime) - Date.now()) < 5 * 60_000, `currentTime far from now: ${hb.currentTime}`);

    const sn = await cli.call('StatusNotification', {
      connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: new Date().toISOString(),
    });
    assert.deepEqual(sn, {});

    const unknown = await cli.call('Authorize', { idTag: 'UNKNOWN-TAG-0001' });
    assert.equal(unknown.idTagInfo?.status, 'Invalid', `unknown idTag: ${JSON.stringify(unknown)}`);
    await cli.close();
  });

  test('transaction with an ID tag added via POST /api/v1/id-tags: Authorize Accepted, StartTransaction, MeterValues, StopTransaction', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-TX');
    const password = randomPassword(32);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const knownTag = `TAG${Date.now().toString(36).toUpperCase()}`.slice(0, 20);
    await s.addIdTag(knownTag, 'Accepted');

    const cli = track(s.client(identity, { password }));
    await s.connect(cli);
    await bootAccepted(cli);

    const known = await cli.call('Authorize', { idTag: knownTag });
    assert.equal(known.idTagInfo?.status, 'Accepted', `known idTag: ${JSON.stringify(known)}`);

    const start = await cli.call('StartTransaction', {
      connectorId: 1, idTag: knownTag, meterStart: 1000, timestamp: new Date().toISOString(),
    });
    assert.ok(Number.isInteger(start.transactionId), `transactionId must be an integer: ${JSON.stringify(start)}`);
    assert.equal(start.idTagInfo?.status, 'Accepted', `StartTransaction idTagInfo: ${JSON.stringify(start)}`);

    const mv = await cli.call('MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{
        timestamp: new Date().toISOString(),
        sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' }],
      }],
    });
    assert.deepEqual(mv, {});

    const stop = await cli.call('StopTransaction', {
      transactionId: start.transactionId, idTag: knownTag, meterStop: 2500, timestamp: new Date().toISOString(), reason: 'Local',
    });
    assert.ok(stop.idTagInfo, `StopTransaction with idTag must answer idTagInfo: ${JSON.stringify(stop)}`);
    assert.equal(stop.idTagInfo.status, 'Accepted');
    await cli.close();
  });

  test('wrong password → 401 with WWW-Authenticate Basic; attempt Refused/PasswordMismatch/privateauth; password never shown', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-WRONG');
    await s.addPassword(randomPassword(24));
    await s.addStation(identity, ['privateauth']);
    const wrong = randomPassword(24);
    const err = await expectRefused(track(s.client(identity, { password: wrong })), 401);
    const wwwAuth = err.response?.headers?.['www-authenticate'] ?? '';
    assert.match(String(wwwAuth), /^Basic realm="Voltgate"/, `WWW-Authenticate: ${wwwAuth}`);
    const { attempt, text } = await s.waitForAttempt(identity, (a) => a.result === 'Refused');
    assert.equal(attempt.reason, 'PasswordMismatch', `attempt: ${JSON.stringify(attempt)}`);
    assert.equal(attempt.variant, 'privateauth', `attempt: ${JSON.stringify(attempt)}`);
    assert.ok(!text.includes(wrong), 'connection attempts must never contain the offered password');
  });

  test('username differing from the URL identity → 401, reason UsernameMismatch', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-USER');
    const other = uniqueIdentity('IOP-OTHER');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    await s.addStation(other, ['privateauth']);
    // URL identity = `identity`; Basic credentials name `other` with a valid pool password.
    const authorization = 'Basic ' + Buffer.from(`${other}:${password}`).toString('base64');
    await expectRefused(track(s.client(identity, { headers: { authorization } })), 401);
    const { attempt } = await s.waitForAttempt(identity, (a) => a.result === 'Refused');
    assert.equal(attempt.reason, 'UsernameMismatch', `attempt: ${JSON.stringify(attempt)}`);
    assert.equal(attempt.variant, 'privateauth', `attempt: ${JSON.stringify(attempt)}`);
  });

  test('no Authorization header → 401, reason NoCredentials', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-NOAUTH');
    await s.addStation(identity, ['privateauth']);
    await expectRefused(track(s.client(identity, {})), 401);
    const { attempt } = await s.waitForAttempt(identity, (a) => a.result === 'Refused');
    assert.equal(attempt.reason, 'NoCredentials', `attempt: ${JSON.stringify(attempt)}`);
  });

  test('station allowed only on "public" connecting through privateauth → 401, reason VariantNotAllowed', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-VAR');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['public']);
    await expectRefused(track(s.client(identity, { password })), 401);
    const { attempt } = await s.waitForAttempt(identity, (a) => a.result === 'Refused');
    assert.equal(attempt.reason, 'VariantNotAllowed', `attempt: ${JSON.stringify(attempt)}`);
    assert.equal(attempt.variant, 'privateauth', `attempt: ${JSON.stringify(attempt)}`);
  });

  test('only an unsupported subprotocol offered (ocpp0.1) → HTTP 400, never upgraded', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-SUBP');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    // strictMode needs a validator per protocol, and ocpp0.1 has none: plain mode for this handshake.
    await expectRefused(track(s.client(identity, { password, protocols: ['ocpp0.1'], strictMode: false })), 400);
  });

  test('unsupported subprotocol offered first, ocpp1.6 second → ocpp1.6 selected', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-SUBP2');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const cli = track(s.client(identity, { password, protocols: ['ocpp0.1', 'ocpp1.6'], strictMode: ['ocpp1.6'] }));
    await s.connect(cli);
    assert.equal(cli.protocol, 'ocpp1.6');
    await bootAccepted(cli);
    await cli.close();
  });

  test('no Sec-WebSocket-Protocol header with assumeOcpp16WhenNoSubprotocol on → accepted as OCPP 1.6', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-NOSUBP');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const cli = track(s.client(identity, { password, protocols: [], strictMode: false }));
    await s.connect(cli);
    const res = await cli.call('BootNotification', bootPayload());
    assert.equal(res.status, 'Accepted', JSON.stringify(res));
    await cli.close();
  });
});
