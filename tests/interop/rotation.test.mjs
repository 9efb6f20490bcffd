// Password rotation (issue 17, docs/rotation.md) with the independent ocpp-rpc client in strict mode: every CALL the
// server sends (ChangeConfiguration AuthorizationKey, SetVariables BasicAuthPassword) is validated against the
// official 1.6 / OCA 2.0.1 schemas, and every path of the per-station state machine is played by a real client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverSuite, useServer, randomPassword, uniqueIdentity, expectRefused, bootAccepted } from './harness.mjs';

const boot201 = { reason: 'PowerUp', chargingStation: { model: 'Interop-201', vendorName: 'ocpp-rpc' } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

serverSuite('password rotation (privateauth)', () => {
  const ctx = useServer({ before, after });
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  after(async () => { await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {}))); });

  async function rotation(id) {
    const res = await ctx.server.api('GET', `/api/v1/ocpp-security/rotations/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  }

  const row = (r, identity) => r.stations.find((s) => s.identity === identity);

  async function waitRow(id, identity, state, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      last = row(await rotation(id), identity);
      if (last?.state === state) return last;
      await sleep(200);
    }
    assert.fail(`${identity} did not reach ${state}; last row: ${JSON.stringify(last)}`);
  }

  /** A connected station that answers the password push with `answer(params)` and remembers what it got. */
  async function station(identity, password, { protocol = 'ocpp1.6', answer } = {}) {
    const cli = track(ctx.server.client(identity, { password, protocols: [protocol] }));
    const got = { value: null };
    if (protocol === 'ocpp1.6') {
      cli.handle('ChangeConfiguration', ({ params }) => {
        assert.equal(params.key, 'AuthorizationKey');
        got.value = params.value;
        return { status: answer ?? 'Accepted' };
      });
    } else {
      cli.handle('SetVariables', ({ params }) => {
        const d = params.setVariableData[0];
        assert.equal(d.component.name, 'SecurityCtrlr');
        assert.equal(d.variable.name, 'BasicAuthPassword');
        got.value = d.attributeValue;
        return { setVariableResult: [{ attributeStatus: answer ?? 'Accepted', component: d.component, variable: d.variable }] };
      });
    }
    await ctx.server.connect(cli);
    if (protocol === 'ocpp1.6') await bootAccepted(cli);
    else await cli.call('BootNotification', boot201);
    return { cli, got };
  }

  async function admitted(identity, password, protocol = 'ocpp1.6') {
    const cli = track(ctx.server.client(identity, { password, protocols: [protocol] }));
    await ctx.server.connect(cli);
    await cli.close();
  }

  test('every path: conformant, KEBA-style and 2.0.1 reconnect; reject; NotSupported; offline; never back; back with the old password', async () => {
    const s = ctx.server;
    const old = randomPassword(24);
    await s.addPassword(old);
    const ids = {
      bytes: uniqueIdentity('ROT-BYTES'), keba: uniqueIdentity('ROT-KEBA'), v201: uniqueIdentity('ROT-201'),
      reject: uniqueIdentity('ROT-REJ'), notSupported: uniqueIdentity('ROT-NS'), offline: uniqueIdentity('ROT-OFF'),
      never: uniqueIdentity('ROT-NEVER'), oldBack: uniqueIdentity('ROT-OLD'),
    };
    for (const identity of Object.values(ids)) await s.addStation(identity, ['privateauth']);

    const bytes = await station(ids.bytes, old);
    const keba = await station(ids.keba, old);
    const v201 = await station(ids.v201, old, { protocol: 'ocpp2.0.1' });
    const reject = await station(ids.reject, old, { answer: 'Rejected' });
    const notSupported = await station(ids.notSupported, old, { answer: 'NotSupported' });
    const never = await station(ids.never, old);
    const oldBack = await station(ids.oldBack, old);

    const created = await s.api('POST', '/api/v1/ocpp-security/rotations', {
      source: { stationIdentities: Object.values(ids) },
      target: { generate: { length: 40, label: 'interop rotation' } },
      // Lost after 8 s: lostAfterSeconds is the documented seconds form of lostAfterMinutes, for trials and tests.
      lostAfterSeconds: 8,
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json.id;

    for (const identity of [ids.bytes, ids.keba, ids.v201, ids.never, ids.oldBack]) await waitRow(id, identity, 'Accepted');
    assert.match((await waitRow(id, ids.reject, 'Rejected')).reason, /old password is still admitted/);
    assert.match((await waitRow(id, ids.notSupported, 'NotSupported')).reason, /does not support/);
    assert.match(row(await rotation(id), ids.offline).reason, /Offline/);
    const key = bytes.got.value;
    assert.match(key, /^[0-9A-Fa-f]{40}$/);
    assert.equal(keba.got.value, key);
    assert.equal(v201.got.value, key, '2.0.1 gets the passwordString itself');

    // (a) back with the new password: decoded bytes (conformant 1.6), the hex text (KEBA x-series), UTF-8 text (2.0.1).
    for (const c of [bytes, keba, v201, never, oldBack, reject, notSupported]) await c.cli.close();
    await admitted(ids.bytes, Buffer.from(key, 'hex'));
    await admitted(ids.keba, key);
    await admitted(ids.v201, key, 'ocpp2.0.1');
    // (f) back with the old password: refused, and the row says why.
    await expectRefused(track(s.client(ids.oldBack, { password: old })), 401);
    // (d) the offline station connects later, is pushed, accepts and comes back with the new one.
    const late = await station(ids.offline, old);
    await waitRow(id, ids.offline, 'Accepted');
    assert.equal(late.got.value, key);
    await late.cli.close();
    await admitted(ids.offline, Buffer.from(key, 'hex'));

    for (const identity of [ids.bytes, ids.keba, ids.v201, ids.offline]) {
      assert.match((await waitRow(id, identity, 'Done', 20_000)).reason, /new password/);
    }
    // (e) never back → Lost, with what happened.
    assert.match((await waitRow(id, ids.never, 'Lost', 20_000)).reason, /Has not connected since it accepted the change/);
    assert.match((await waitRow(id, ids.oldBack, 'Lost', 20_000)).reason, /Tried the pre-rotation password at .* — this station accepted the change at/);

    let final = await rotation(id);
    for (let i = 0; i < 25 && final.state !== 'Completed'; i++) { await sleep(200); final = await rotation(id); }
    assert.equal(final.state, 'Completed');
    assert.deepEqual(
      { done: final.counts.done, rejected: final.counts.rejected, notSupported: final.counts.notSupported, lost: final.counts.lost },
      { done: 4, rejected: 1, notSupported: 1, lost: 2 },
    );

    // The old entry admits none of the stations that moved, and still admits the ones that did not (A01.FR.03/04).
    for (const identity of [ids.bytes, ids.keba, ids.offline]) await expectRefused(track(s.client(identity, { password: old })), 401);
    await expectRefused(track(s.client(ids.v201, { password: old, protocols: ['ocpp2.0.1'] })), 401);
    await admitted(ids.reject, old);
    await admitted(ids.notSupported, old);

    // Recovery of a Lost station: admit its previous password again (audited), then it gets in with it.
    const admit = await s.api('POST', `/api/v1/ocpp-security/rotations/${id}/stations/${ids.oldBack}/admit-previous`);
    assert.equal(admit.status, 200, admit.text);
    await admitted(ids.oldBack, old);

    // The key never shows in the audit trail or the connection attempts.
    const audit = await s.api('GET', '/api/v1/audit-events?take=500');
    assert.ok(!audit.text.toLowerCase().includes(key.toLowerCase()), 'the audit trail must not contain the key');
    const attempts = await s.connectionAttempts(ids.oldBack);
    assert.ok(!JSON.stringify(attempts).toLowerCase().includes(key.toLowerCase()));
  });
});
