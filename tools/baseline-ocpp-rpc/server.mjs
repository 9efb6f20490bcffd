// Bare OCPP 1.6J server on ocpp-rpc: the "protocol library only" baseline that
// tools/Voltgate.LoadGen is pointed at. No persistence; no validation beyond ocpp-rpc's framing unless --strict.
import { RPCServer } from 'ocpp-rpc';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '8190' },
    host: { type: 'string', default: '127.0.0.1' },
    strict: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log('usage: node server.mjs [--port 8190] [--host 127.0.0.1] [--strict]\n' +
    'Accepts any identity with any HTTP Basic password (a missing Authorization header gets 401),\n' +
    'subprotocol ocpp1.6; answers Boot/Heartbeat/Status/Authorize/Start/MeterValues/Stop.\n' +
    '--strict validates every call and answer against the OCPP 1.6 schemas (ocpp-rpc strictMode), as Voltgate does.');
  process.exit(0);
}

const port = Number.parseInt(args.port, 10);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`invalid --port '${args.port}'`);
  process.exit(2);
}

// strictMode off by default: the bare protocol library. --strict adds the schema validation Voltgate also does.
const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: args.strict });

// Any password is fine, but the station must have sent one: that keeps the Basic-auth path exercised.
server.auth((accept, reject, handshake) => {
  if (handshake.password === undefined) {
    reject(401);
    return;
  }
  accept();
});

let nextTransactionId = 1;
let connected = 0;
let calls = 0;

server.on('client', (client) => {
  connected++;
  client.once('close', () => { connected--; });

  const now = () => new Date().toISOString();
  const handle = (method, fn) => client.handle(method, (ctx) => { calls++; return fn(ctx); });

  handle('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  handle('Heartbeat', () => ({ currentTime: now() }));
  handle('StatusNotification', () => ({}));
  handle('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
  handle('StartTransaction', () => ({ transactionId: nextTransactionId++, idTagInfo: { status: 'Accepted' } }));
  handle('MeterValues', () => ({}));
  handle('StopTransaction', () => ({ idTagInfo: { status: 'Accepted' } }));
});

await server.listen(port, args.host);
console.log(`baseline ocpp-rpc server listening on ws://${args.host}:${port}/ (pid ${process.pid})`);

const stats = setInterval(() => {
  console.log(`${now()} connected=${connected} calls=${calls}`);
}, 5000);
stats.unref();

function now() { return new Date().toISOString(); }

const shutdown = async () => {
  clearInterval(stats);
  await server.close({ force: true });
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
