// Server-initiated calls: the operator sends Reset and GetConfiguration through the REST commands API;
// ocpp-rpc in strictMode answers them as a station and validates the server's CALLs against the official schemas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverSuite, useServer, randomPassword, uniqueIdentity, bootAccepted } from './harness.mjs';

serverSuite('remote commands answered by ocpp-rpc', () => {
  const ctx = useServer({ before, after });

  test('Reset and GetConfiguration reach the station; its answers come back through the API; read-only ChangeConfiguration is Rejected', async () => {
    const s = ctx.server;
    const identity = uniqueIdentity('IOP-CMD');
    const password = randomPassword(24);
    await s.addPassword(password);
    await s.addStation(identity, ['privateauth']);
    const cli = s.client(identity, { password });
    const received = [];
    cli.handle('Reset', ({ params }) => { received.push(['Reset', params]); return { status: 'Accepted' }; });
    cli.handle('GetConfiguration', ({ params }) => {
      received.push(['GetConfiguration', params]);
      return { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }, { key: 'ChargePointVendor', readonly: true, value: 'Interop' }] };
    });
    cli.handle('ChangeConfiguration', ({ params }) => ({ status: params.key === 'ChargePointVendor' ? 'Rejected' : 'Accepted' }));
    await s.connect(cli);
    try {
      await bootAccepted(cli);

      const reset = await s.api('POST', `/api/v1/stations/${identity}/commands/Reset`, { type: 'Hard' }, 200);
      assert.equal(reset.json.response.status, 'Accepted', reset.text);
      assert.deepEqual(received[0], ['Reset', { type: 'Hard' }]);

      const config = await s.api('POST', `/api/v1/stations/${identity}/commands/GetConfiguration`, { key: ['HeartbeatInterval', 'ChargePointVendor'] }, 200);
      assert.equal(config.json.response.configurationKey.length, 2, config.text);
      assert.deepEqual(received[1], ['GetConfiguration', { key: ['HeartbeatInterval', 'ChargePointVendor'] }]);

      const readOnly = await s.api('POST', `/api/v1/stations/${identity}/commands/ChangeConfiguration`, { key: 'ChargePointVendor', value: 'x' }, 200);
      assert.equal(readOnly.json.response.status, 'Rejected', readOnly.text);

      const invalid = await s.api('POST', `/api/v1/stations/${identity}/commands/Reset`, { type: 'Gentle' });
      assert.equal(invalid.status, 400, invalid.text);
    } finally {
      await cli.close({ force: true }).catch(() => {});
    }
  });
});
