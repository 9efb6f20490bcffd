// OCPP 2.0.1 device model and commands with the independent ocpp-rpc client in strict mode (it validates every
// request we send and every answer of ours against the OCA 2.0.1 schemas): GetBaseReport → NotifyReport split with
// tbc → GET /device-model; and every server command of issue 16 answered by the client through our REST API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverSuite, useServer, randomPassword, uniqueIdentity } from './harness.mjs';

const boot = { reason: 'PowerUp', chargingStation: { model: 'KC-P40', vendorName: 'KEBA' } };
const hb = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
const soon = () => new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const token = { idToken: 'CARD-001', type: 'ISO14443' };

// action → [request body we send, answer the client gives]
const commands = {
  Reset: [{ type: 'Immediate' }, { status: 'Accepted' }],
  GetVariables: [{ getVariableData: [hb] }, { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '300', ...hb }] }],
  SetVariables: [{ setVariableData: [{ attributeValue: '60', ...hb }] }, { setVariableResult: [{ attributeStatus: 'Accepted', ...hb }] }],
  GetBaseReport: [{ requestId: 1, reportBase: 'FullInventory' }, { status: 'Accepted' }],
  ClearCache: [{}, { status: 'Accepted' }],
  SendLocalList: [{ versionNumber: 1, updateType: 'Full', localAuthorizationList: [{ idToken: token, idTokenInfo: { status: 'Accepted' } }] }, { status: 'Accepted' }],
  GetLocalListVersion: [{}, { versionNumber: 1 }],
  RequestStartTransaction: [{ idToken: token, remoteStartId: 1, evseId: 1 }, { status: 'Accepted' }],
  RequestStopTransaction: [{ transactionId: 'TX-0001' }, { status: 'Accepted' }],
  UnlockConnector: [{ evseId: 1, connectorId: 1 }, { status: 'Unlocked' }],
  TriggerMessage: [{ requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } }, { status: 'Accepted' }],
  ChangeAvailability: [{ operationalStatus: 'Operative', evse: { id: 1 } }, { status: 'Accepted' }],
  GetLog: [{ logType: 'DiagnosticsLog', requestId: 1, log: { remoteLocation: 'https://logs.example.com/upload/' } }, { status: 'Accepted', filename: 'log.txt' }],
  UpdateFirmware: [{ requestId: 1, firmware: { location: 'https://firmware.example.com/station.bin', retrieveDateTime: soon() } }, { status: 'Accepted' }],
  DataTransfer: [{ vendorId: 'com.example', messageId: 'Ping', data: 'hello' }, { status: 'Accepted', data: 'pong' }],
};

serverSuite('OCPP 2.0.1 device model and commands', () => {
  const ctx = useServer({ before, after });
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  after(async () => { await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {}))); });

  async function online(prefix, handlers = {}) {
    const s = ctx.server;
    const identity = uniqueIdentity(prefix);
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const cli = track(s.client(identity, { password, protocols: ['ocpp2.0.1'] }));
    for (const [action, handler] of Object.entries(handlers)) cli.handle(action, handler);
    await s.connect(cli);
    assert.equal((await cli.call('BootNotification', boot)).status, 'Accepted');
    return { s, identity, cli, path: `/api/v1/stations/${encodeURIComponent(identity)}` };
  }

  test('GetBaseReport → NotifyReport in two parts (tbc) → the device model API shows it whole, the secret without value', async () => {
    let asked;
    const { s, cli, path } = await online('IOP2-DM', { GetBaseReport: ({ params }) => { asked = params; return { status: 'Accepted' }; } });
    const res = await s.api('POST', `${path}/commands/GetBaseReport`, { requestId: 42, reportBase: 'FullInventory' }, 200);
    assert.equal(res.json.response.status, 'Accepted');
    assert.equal(asked.requestId, 42);

    const generatedAt = new Date().toISOString();
    await cli.call('NotifyReport', { requestId: 42, generatedAt, seqNo: 0, tbc: true, reportData: [
      { ...hb, variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite' }], variableCharacteristics: { dataType: 'integer', unit: 's', supportsMonitoring: false } },
      { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, variableAttribute: [{ type: 'Actual', value: 'Interop-Secret-Never-Shown', mutability: 'WriteOnly' }] },
    ] });
    const half = await s.api('GET', `${path}/device-model`, undefined, 200);
    assert.equal(half.json.total, 0, 'nothing is stored before the last part');
    await cli.call('NotifyReport', { requestId: 42, generatedAt, seqNo: 1, reportData: [
      { component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' }, variableAttribute: [{ type: 'Actual', value: 'Available', mutability: 'ReadOnly' }] },
    ] });

    const model = await s.api('GET', `${path}/device-model`, undefined, 200);
    assert.equal(model.json.total, 3);
    const byName = Object.fromEntries(model.json.items.map((i) => [i.variable.name, i]));
    assert.deepEqual(byName.HeartbeatInterval.component, { name: 'OCPPCommCtrlr' });
    assert.equal(byName.HeartbeatInterval.attributes[0].type, 'Actual');
    assert.equal(byName.HeartbeatInterval.attributes[0].value, '300');
    assert.equal(byName.HeartbeatInterval.attributes[0].mutability, 'ReadWrite');
    assert.ok(!Number.isNaN(Date.parse(byName.HeartbeatInterval.reportedAt)));
    assert.deepEqual(byName.AvailabilityState.component.evse, { id: 1, connectorId: 1 });
    assert.equal(byName.BasicAuthPassword.attributes[0].value, null);
    assert.ok(!model.text.includes('Interop-Secret-Never-Shown'));
    const log = await s.api('GET', `${path}/message-log`, undefined, 200);
    assert.ok(!log.text.includes('Interop-Secret-Never-Shown'), 'the message log masks the reported secret');
    await cli.close();
  });

  test('every 2.0.1 server command is sent valid and the client\'s answer comes back', async () => {
    const received = {};
    const handlers = Object.fromEntries(Object.entries(commands).map(([action, [, answer]]) =>
      [action, ({ params }) => { received[action] = params; return answer; }]));
    const { s, cli, path } = await online('IOP2-ALL', handlers);
    for (const [action, [body, answer]] of Object.entries(commands)) {
      const res = await s.api('POST', `${path}/commands/${action}`, body);
      assert.equal(res.status, 200, `${action}: ${res.text}`);
      assert.equal(res.json.status, 'Answered', `${action}: ${res.text}`);
      assert.deepEqual(res.json.response, answer, action);
      assert.deepEqual(received[action], body, `${action} arrived as sent`);
    }
    // GetVariables and SetVariables answers reached the device model.
    const model = await s.api('GET', `${path}/device-model`, undefined, 200);
    assert.equal(model.json.items.find((i) => i.variable.name === 'HeartbeatInterval').attributes[0].value, '60');
    await cli.close();
  });
});
