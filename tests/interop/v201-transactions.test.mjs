// OCPP 2.0.1 TransactionEvent with the independent ocpp-rpc client in strict mode (product.md §8): a whole
// transaction with meter values (Started, Updated with meterValue, Ended), every answer validated against the OCA
// 2.0.1 schemas by the client, and the stored transaction checked through the REST API beside the 1.6 ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverSuite, useServer, randomPassword, uniqueIdentity } from './harness.mjs';

const boot = { reason: 'PowerUp', chargingStation: { model: 'KC-P40', vendorName: 'KEBA' } };

serverSuite('OCPP 2.0.1 transactions (privateauth)', () => {
  const ctx = useServer({ before, after });
  const clients = [];
  const track = (c) => { clients.push(c); return c; };
  after(async () => { await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {}))); });

  test('a whole transaction with meter values: Started, Updated, Ended (strict) → stored with its string id', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP2-TX');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const tag = `IOP2-${Date.now() % 1e8}`;
    await s.addIdTag(tag);
    const cli = track(s.client(identity, { password, protocols: ['ocpp2.0.1'] }));
    await s.connect(cli);
    assert.equal((await cli.call('BootNotification', boot)).status, 'Accepted');

    const t0 = Date.now() - 10 * 60_000;
    const at = (min) => new Date(t0 + min * 60_000).toISOString();
    const transactionId = `iop-${Date.now()}`;
    const energy = (min, wh, context) => ({ timestamp: at(min), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register', context }] });

    const started = await cli.call('TransactionEvent', {
      eventType: 'Started', timestamp: at(0), triggerReason: 'Authorized', seqNo: 0,
      transactionInfo: { transactionId, chargingState: 'Charging' },
      idToken: { idToken: tag, type: 'ISO14443' }, evse: { id: 1, connectorId: 1 },
      meterValue: [energy(0, 10_000, 'Transaction.Begin')],
    });
    assert.equal(started.idTokenInfo.status, 'Accepted');
    const updated = await cli.call('TransactionEvent', {
      eventType: 'Updated', timestamp: at(5), triggerReason: 'MeterValuePeriodic', seqNo: 1,
      transactionInfo: { transactionId, chargingState: 'Charging' },
      meterValue: [{ timestamp: at(5), sampledValue: [
        { value: 10.75, measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', unitOfMeasure: { unit: 'kWh' } },
        { value: 11000, measurand: 'Power.Active.Import', context: 'Sample.Periodic', unitOfMeasure: { unit: 'W' } },
      ] }],
    });
    assert.deepEqual(updated, {});
    const ended = await cli.call('TransactionEvent', {
      eventType: 'Ended', timestamp: at(10), triggerReason: 'StopAuthorized', seqNo: 2,
      transactionInfo: { transactionId, stoppedReason: 'Local' },
      idToken: { idToken: tag, type: 'ISO14443' },
      meterValue: [energy(10, 11_500, 'Transaction.End')],
    });
    assert.equal(ended.idTokenInfo.status, 'Accepted');
    await cli.close();

    const list = await s.api('GET', `/api/v1/transactions?station=${encodeURIComponent(identity)}`, undefined, 200);
    assert.equal(list.json.total, 1, list.text);
    const row = list.json.items[0];
    assert.equal(row.stationTransactionId, transactionId);
    assert.equal(row.protocol, 'ocpp2.0.1');
    assert.equal(row.idTag, tag);
    assert.equal(row.connectorId, 1);
    assert.equal(row.meterStartWh, 10_000);
    assert.equal(row.meterStopWh, 11_500);
    assert.equal(row.energyWh, 1_500);
    assert.equal(row.active, false);
    const detail = await s.api('GET', `/api/v1/transactions/${row.id}`, undefined, 200);
    assert.equal(detail.json.meterValuesTotal, 4, detail.text);
    assert.deepEqual(detail.json.events.map((e) => [e.seqNo, e.eventType]), [[0, 'Started'], [1, 'Updated'], [2, 'Ended']]);
    assert.ok(detail.json.meterValues.some((m) => m.value === '10.75' && m.unit === 'kWh'), detail.text);
    assert.ok(detail.json.meterValues.some((m) => m.measurand === 'Power.Active.Import' && m.value === '11000'), detail.text);
    const station = await s.api('GET', `/api/v1/stations/${encodeURIComponent(identity)}`, undefined, 200);
    assert.equal(station.json.connection.protocol, 'ocpp2.0.1');
  });
});
