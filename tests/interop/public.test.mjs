// public variant: wss with the harness's self-signed certificate (trusted by the client as its CA),
// HTTP Basic Auth, security profile 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serverSuite, useServer, randomPassword, uniqueIdentity, expectRefused, bootAccepted,
} from './harness.mjs';

serverSuite('public (wss://…/ocpp/{identity})', () => {
  const ctx = useServer({ before, after });
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  after(async () => { await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {}))); });

  test('valid password over TLS (certificate verified against the generated cert) → BootNotification Accepted', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-PUB');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['public']);
    const cli = track(s.client(identity, { variant: 'public', password }));
    await s.connect(cli);
    assert.equal(cli.protocol, 'ocpp1.6');
    await bootAccepted(cli);
    const hb = await cli.call('Heartbeat', {});
    assert.equal(typeof hb.currentTime, 'string');
    const { attempt } = await s.waitForAttempt(identity, (a) => a.result === 'Accepted');
    assert.equal(attempt.variant, 'public', `attempt: ${JSON.stringify(attempt)}`);
    await cli.close();
  });

  test('wrong password over TLS → 401, attempt Refused/PasswordMismatch/public', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-PUBW');
    await s.addPassword(randomPassword(24));
    await s.addStation(identity, ['public']);
    const wrong = randomPassword(24);
    await expectRefused(track(s.client(identity, { variant: 'public', password: wrong })), 401);
    const { attempt, text } = await s.waitForAttempt(identity, (a) => a.result === 'Refused');
    assert.equal(attempt.reason, 'PasswordMismatch', `attempt: ${JSON.stringify(attempt)}`);
    assert.equal(attempt.variant, 'public', `attempt: ${JSON.stringify(attempt)}`);
    assert.ok(!text.includes(wrong), 'connection attempts must never contain the offered password');
  });

  test('station allowed only on "privateauth" connecting through public → 401, reason VariantNotAllowed', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-PUBV');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    await expectRefused(track(s.client(identity, { variant: 'public', password })), 401);
    const { attempt } = await s.waitForAttempt(identity, (a) => a.result === 'Refused');
    assert.equal(attempt.reason, 'VariantNotAllowed', `attempt: ${JSON.stringify(attempt)}`);
    assert.equal(attempt.variant, 'public', `attempt: ${JSON.stringify(attempt)}`);
  });
});
