// Measures a rotation over many stations (default 500) with real ocpp-rpc clients: every station accepts the new
// AuthorizationKey, disconnects and comes back with the decoded bytes. Prints progress and how long it took; it
// asserts only that the rotation finishes with every station Done (no timed assertion). docs/performance.md.
//
//   VOLTGATE_SERVER_DLL=/path/Voltgate.Server.dll node tests/interop/tools/rotation-500.mjs [stations] [concurrency]
import { VoltgateServer, randomPassword } from '../harness.mjs';

const count = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 50);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const server = await new VoltgateServer().start();
const clients = [];
try {
  const old = randomPassword(24);
  await server.addPassword(old);
  const ids = Array.from({ length: count }, (_, i) => `LOAD-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < ids.length; i += 25) await Promise.all(ids.slice(i, i + 25).map((id) => server.addStation(id, ['privateauth'])));

  const reconnect = async (identity, key) => {
    const cli = server.client(identity, { password: Buffer.from(key, 'hex') });
    clients.push(cli);
    await server.connect(cli);
  };
  const connectOld = async (identity) => {
    const cli = server.client(identity, { password: old });
    clients.push(cli);
    cli.handle('ChangeConfiguration', ({ params }) => {
      // Answer first, then go away and come back with the new password, as a station does.
      setTimeout(() => { cli.close({ force: true }).then(() => reconnect(identity, params.value)).catch((e) => console.error(identity, e.message)); }, 50);
      return { status: 'Accepted' };
    });
    await server.connect(cli);
  };
  const t0 = Date.now();
  for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map(connectOld));
  console.log(`${count} stations connected in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const started = Date.now();
  const created = await server.api('POST', '/api/v1/ocpp-security/rotations', {
    source: { stationIdentities: ids }, target: { generate: { length: 40 } }, concurrency, lostAfterMinutes: 10,
  });
  if (created.status !== 201) throw new Error(`creating the rotation: ${created.status} ${created.text.slice(0, 500)}`);
  console.log(`rotation created in ${Date.now() - started} ms (checks of ${count} stations)`);
  let r;
  for (;;) {
    r = (await server.api('GET', `/api/v1/ocpp-security/rotations/${created.json.id}`)).json;
    const c = r.counts;
    console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${r.state.padEnd(9)} waiting ${c.waiting} sent ${c.sent} accepted ${c.accepted} done ${c.done} failed ${c.failed} lost ${c.lost}`);
    if (r.state !== 'Running') break;
    await sleep(5000);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`RESULT: ${count} stations, concurrency ${concurrency}: ${r.state} with ${r.counts.done} Done in ${seconds.toFixed(1)} s`);
  if (r.counts.done !== count) process.exitCode = 1;
} finally {
  await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => {})));
  await server.stop();
}
