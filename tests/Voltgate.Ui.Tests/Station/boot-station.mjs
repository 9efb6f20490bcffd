// One OCPP 1.6 station played by ocpp-rpc (an independent OCPP-J client) in strictMode: connect with HTTP Basic
// Auth, send BootNotification, print the response as one JSON line, close. Driven by OcppRpcStation.cs.
// Env: VG_OCPP_RPC (the ocpp-rpc package folder), VG_ENDPOINT, VG_IDENTITY, VG_PASSWORD, VG_VENDOR, VG_MODEL,
// VG_FIRMWARE.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { RPCClient } = require(process.env.VG_OCPP_RPC);

const client = new RPCClient({
  endpoint: process.env.VG_ENDPOINT,
  identity: process.env.VG_IDENTITY,
  password: process.env.VG_PASSWORD,
  protocols: ['ocpp1.6'],
  strictMode: true,
  reconnect: false,
  callTimeoutMs: 15_000,
  pingIntervalMs: 0,
});

try {
  await client.connect();
  const boot = await client.call('BootNotification', {
    chargePointVendor: process.env.VG_VENDOR,
    chargePointModel: process.env.VG_MODEL,
    firmwareVersion: process.env.VG_FIRMWARE,
  });
  process.stdout.write(JSON.stringify({ protocol: client.protocol, boot }) + '\n');
  await client.close({ code: 1000 });
} catch (error) {
  process.stderr.write(`station failed: ${error?.code ?? ''} ${error?.message ?? error}\n`);
  await client.close({ force: true }).catch(() => {});
  process.exit(1);
}
