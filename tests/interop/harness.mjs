// Interop harness: starts a real Voltgate server process (one per test file), talks to its REST API and
// opens OCPP connections to it with ocpp-rpc, an independent OCPP-J implementation.
//
// Contract used: configuration by environment variables
// (Voltgate__...), GET /health on the web URL, POST /api/v1/auth/token, the OCPP security API, stations,
// connection attempts, id tags.
//
// Without VOLTGATE_SERVER_DLL every suite is skipped with a clear message (see `skipReason`).

import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RPCClient } from 'ocpp-rpc';

const execFileP = promisify(execFile);

export const SERVER_DLL = process.env.VOLTGATE_SERVER_DLL || '';

/** Reason to skip server-backed suites, or undefined when a server DLL is configured. */
export const skipReason = SERVER_DLL
  ? undefined
  : 'VOLTGATE_SERVER_DLL is not set: publish src/Voltgate.Server and set it to <folder>/Voltgate.Server.dll to run the interop suite';

const STARTUP_TIMEOUT_MS = Number(process.env.VOLTGATE_INTEROP_STARTUP_TIMEOUT_MS || 60_000);
const STOP_GRACE_MS = 8_000;
const OUTPUT_KEEP_CHARS = 64 * 1024;

// ---------------------------------------------------------------------------------------------------------
// small utilities

/** Random printable string from OCPP's passwordString alphabet subset [A-Za-z0-9] of the given length. */
export function randomPassword(length = 24) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}

/** Random lower-case hex secret with `length` characters (even). */
export function randomHex(length = 40) {
  return randomBytes(length / 2).toString('hex');
}

/** A station identity unique to this run: letters, digits and '-' only, ≤ 48 characters. */
export function uniqueIdentity(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}`.slice(0, 48);
}

/** Three (or n) distinct free TCP ports on 127.0.0.1, found by binding port 0 while all are held. */
export async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = createServer();
      await new Promise((res, rej) => {
        srv.once('error', rej);
        srv.listen(0, '127.0.0.1', res);
      });
      servers.push(srv);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((res) => s.close(() => res()))));
  }
}

/** Ring buffer of a child's output, for error messages. */
class OutputTail {
  constructor() { this.text = ''; }
  push(chunk) {
    this.text += chunk.toString('utf8');
    if (this.text.length > OUTPUT_KEEP_CHARS) this.text = this.text.slice(-OUTPUT_KEEP_CHARS);
  }
  toString() { return this.text; }
}

async function makeCertificate(dir) {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  try {
    await execFileP('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
      '-keyout', keyPath, '-out', certPath,
      '-subj', '/CN=localhost', '-days', '2',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
  } catch (err) {
    throw new Error(`openssl could not create the test certificate (is openssl installed?): ${err.stderr || err.message}`);
  }
  return { certPath, keyPath, certPem: readFileSync(certPath) };
}

// ---------------------------------------------------------------------------------------------------------
// the server process

export class VoltgateServer {
  constructor() {
    this.child = null;
    this.dataDir = null;
    this.output = new OutputTail();
    this.adminPassword = `Vg-${randomBytes(12).toString('base64url')}-Aa1!`;
    this._token = null;
    this._exitHandler = null;
  }

  get webUrl() { return `http://127.0.0.1:${this.webPort}`; }
  /** privateauth endpoint, tenant default: ws://127.0.0.1:<p1>/ocpp */
  get privateAuthEndpoint() { return `ws://127.0.0.1:${this.privateAuthPort}/ocpp`; }
  /** public endpoint over TLS: wss://127.0.0.1:<p2>/ocpp */
  get publicEndpoint() { return `wss://127.0.0.1:${this.publicPort}/ocpp`; }

  /** Starts the server and waits for /health; retries with fresh ports if a port was taken meanwhile. */
  async start() {
    if (!SERVER_DLL) throw new Error(skipReason);
    const dll = resolve(SERVER_DLL);
    if (!existsSync(dll)) {
      throw new Error(`VOLTGATE_SERVER_DLL points to ${dll}, which does not exist (run dotnet publish src/Voltgate.Server -o <folder>)`);
    }
    this.dataDir = await mkdtemp(join(tmpdir(), 'voltgate-interop-'));
    this.cert = await makeCertificate(this.dataDir);

    let lastError;
    for (let attempt = 1; attempt <= 3; attempt++) {
      [this.webPort, this.privateAuthPort, this.publicPort] = await freePorts(3);
      try {
        await this._spawnAndWait(dll);
        return this;
      } catch (err) {
        lastError = err;
        await this._kill();
        if (!/address already in use|EADDRINUSE/i.test(this.output.toString())) break;
        this.output = new OutputTail();
      }
    }
    throw lastError;
  }

  _env() {
    const env = { ...process.env };
    // Nothing inherited may override the configuration under test.
    for (const k of Object.keys(env)) {
      if (k.startsWith('Voltgate__') || k === 'ASPNETCORE_URLS' || k === 'ASPNETCORE_HTTP_PORTS' || k === 'ASPNETCORE_HTTPS_PORTS' || k === 'DOTNET_URLS') delete env[k];
    }
    Object.assign(env, {
      DOTNET_NOLOGO: '1',
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      Voltgate__DataDirectory: this.dataDir,
      Voltgate__Web__Url: this.webUrl,
      Voltgate__Bootstrap__AdminPassword: this.adminPassword,
      Voltgate__Ocpp__Endpoints__default__Variant: 'privateauth',
      Voltgate__Ocpp__Endpoints__default__Url: `http://127.0.0.1:${this.privateAuthPort}`,
      Voltgate__Ocpp__Endpoints__default__AllowedNetworks__0: '127.0.0.0/8',
      Voltgate__Ocpp__Endpoints__public__Variant: 'public',
      Voltgate__Ocpp__Endpoints__public__Url: `https://127.0.0.1:${this.publicPort}`,
      Voltgate__Ocpp__Endpoints__public__Certificate__Path: this.cert.certPath,
      Voltgate__Ocpp__Endpoints__public__Certificate__KeyPath: this.cert.keyPath,
    });
    return env;
  }

  async _spawnAndWait(dll) {
    const child = spawn('dotnet', [dll], {
      cwd: dirname(dll), // content root: the published appsettings.json lives next to the DLL
      env: this._env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
    child.stdout.on('data', (d) => this.output.push(d));
    child.stderr.on('data', (d) => this.output.push(d));
    let spawnError;
    child.once('error', (err) => { spawnError = err; });
    // If the test process dies without running the after hook, do not leave a server behind.
    // (node --test ends a timed-out file's process with SIGTERM, which skips 'exit' handlers: handle it too.)
    this._exitHandler = () => {
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
      if (this.dataDir && process.env.VOLTGATE_INTEROP_KEEP !== '1') rmSync(this.dataDir, { recursive: true, force: true });
    };
    this._signalHandler = (signal) => { this._exitHandler(); process.exit(signal === 'SIGINT' ? 130 : 143); };
    process.once('exit', this._exitHandler);
    process.once('SIGTERM', this._signalHandler);
    process.once('SIGINT', this._signalHandler);

    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let exitInfo = null;
    this.exited.then((info) => { exitInfo = info; });
    let lastProbe = 'no answer yet';
    while (Date.now() < deadline) {
      if (spawnError) throw this._startError(`could not spawn dotnet: ${spawnError.message}`);
      if (exitInfo) throw this._startError(`server exited during start-up (code ${exitInfo.code}, signal ${exitInfo.signal})`);
      try {
        const res = await fetch(`${this.webUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
        lastProbe = `HTTP ${res.status}`;
      } catch (err) {
        lastProbe = err.cause?.code || err.message;
      }
      await sleep(250);
    }
    throw this._startError(`GET ${this.webUrl}/health did not answer 200 within ${STARTUP_TIMEOUT_MS / 1000} s (last: ${lastProbe})`);
  }

  _startError(msg) {
    return new Error(`Voltgate server did not start: ${msg}\n--- server output (tail) ---\n${this.output}\n--- end of server output ---`);
  }

  async _kill() {
    const child = this.child;
    if (!child) return;
    if (this._exitHandler) process.removeListener('exit', this._exitHandler);
    if (this._signalHandler) {
      process.removeListener('SIGTERM', this._signalHandler);
      process.removeListener('SIGINT', this._signalHandler);
    }
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([this.exited.then(() => false), sleep(STOP_GRACE_MS, true, { ref: false })]);
      if (timedOut) {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    this.child = null;
  }

  /** Stops the process and removes the temp dir (kept when VOLTGATE_INTEROP_KEEP=1, for debugging). */
  async stop() {
    await this._kill();
    if (this.dataDir) {
      if (process.env.VOLTGATE_INTEROP_KEEP === '1') {
        console.log(`# keeping ${this.dataDir}`);
      } else {
        await rm(this.dataDir, { recursive: true, force: true });
      }
      this.dataDir = null;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // REST API

  /** Raw API call: returns { status, headers, text, json }. */
  async request(method, path, { body, token, headers = {} } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (token) h.authorization = `Bearer ${token}`;
    const res = await fetch(`${this.webUrl}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** Authenticated API call that asserts the expected status and returns the response. */
  async api(method, path, body, expectedStatus) {
    const res = await this.request(method, path, { body, token: await this.token() });
    if (expectedStatus !== undefined) {
      assert.equal(res.status, expectedStatus,
        `${method} ${path} answered ${res.status}, expected ${expectedStatus}: ${res.text.slice(0, 2000)}`);
    }
    return res;
  }

  /** Bearer token of the bootstrap admin (cached per server). */
  async token() {
    if (this._token) return this._token;
    const res = await this.request('POST', '/api/v1/auth/token', {
      body: { tenant: 'default', username: 'admin', password: this.adminPassword },
    });
    assert.equal(res.status, 200, `POST /api/v1/auth/token answered ${res.status}: ${res.text.slice(0, 2000)}`);
    assert.equal(typeof res.json?.accessToken, 'string', `token response has no accessToken: ${res.text}`);
    this._token = res.json.accessToken;
    return this._token;
  }

  /** Adds a BasicAuth pool entry; returns the created entry (201). */
  async addPassword(password, { isHex = false, label } = {}) {
    const res = await this.api('POST', '/api/v1/ocpp-security/basic-auth-passwords',
      { label: label ?? `interop ${randomBytes(3).toString('hex')}`, password, isHex }, 201);
    assert.ok(res.json && res.json.id !== undefined, `created pool entry has no id: ${res.text}`);
    assert.ok(!res.text.includes(password), 'the created pool entry must not echo its secret');
    return res.json;
  }

  /** Creates a station; returns the created station (201). */
  async addStation(identity, allowedVariants = ['privateauth']) {
    const res = await this.api('POST', '/api/v1/stations', { identity, allowedVariants }, 201);
    return res.json;
  }

  /** Replaces the tenant's OCPP security settings. */
  async putSettings({ hexMatching = 'Lenient', unknownStationPolicy = 'Reject', assumeOcpp16WhenNoSubprotocol = true, heartbeatIntervalSeconds = 300 } = {}) {
    const res = await this.api('PUT', '/api/v1/ocpp-security/settings',
      { hexMatching, unknownStationPolicy, assumeOcpp16WhenNoSubprotocol, heartbeatIntervalSeconds });
    assert.ok(res.status === 200 || res.status === 204,
      `PUT /api/v1/ocpp-security/settings answered ${res.status}: ${res.text.slice(0, 2000)}`);
    return res.json;
  }

  /** Adds an ID tag (201). */
  async addIdTag(idTag, status = 'Accepted') {
    const res = await this.api('POST', '/api/v1/id-tags', { idTag, status }, 201);
    return res.json;
  }

  /** Connection attempts of a station, newest first: { items, total, text }. */
  async connectionAttempts(identity) {
    const res = await this.api('GET', `/api/v1/stations/${encodeURIComponent(identity)}/connection-attempts`, undefined, 200);
    assert.ok(Array.isArray(res.json?.items), `connection-attempts answer has no items array: ${res.text.slice(0, 2000)}`);
    return { items: res.json.items, total: res.json.total, text: res.text };
  }

  /**
   * Waits (up to timeoutMs) until the newest connection attempt of `identity` satisfies `predicate`;
   * recording may be written behind the handshake, so it is polled briefly. Returns { attempt, text }.
   */
  async waitForAttempt(identity, predicate = () => true, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      last = await this.connectionAttempts(identity);
      const newest = last.items[0];
      if (newest && predicate(newest)) return { attempt: newest, text: last.text, items: last.items };
      if (Date.now() > deadline) {
        assert.fail(`no matching connection attempt for ${identity} within ${timeoutMs} ms; attempts: ${last.text.slice(0, 2000)}`);
      }
      await sleep(100);
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // OCPP clients

  /**
   * Connects a client that is expected to be accepted. On refusal the error names the HTTP status and the
   * server's newest connection attempt for that identity (its reason), which is what an operator would read.
   */
  async connect(cli) {
    try {
      await cli.connect();
    } catch (err) {
      let diagnosis = '';
      try {
        const identity = cli.identity ?? cli._options?.identity;
        let items = [];
        for (let i = 0; i < 20 && items.length === 0; i++) { // attempts may be recorded just behind the handshake
          if (i) await sleep(100);
          ({ items } = await this.connectionAttempts(identity));
        }
        diagnosis = `; newest connection attempt: ${JSON.stringify(items[0] ?? null)}`;
      } catch (e) {
        diagnosis = `; connection attempts unavailable: ${e.message.split('\n')[0]}`;
      }
      throw new Error(`handshake expected to be accepted was refused: ${err.code ? `HTTP ${err.code} ` : ''}${err.message}${diagnosis}`, { cause: err });
    }
    return cli;
  }

  /**
   * An ocpp-rpc client for ocpp1.6 in strict mode, without reconnects. `variant` is 'privateauth' or 'public'.
   * Each client connects from its own loopback source address (127.0.0.2–127.0.0.254, all inside the allowed
   * 127.0.0.0/8), like real stations do, so the server's per-source-address brute-force protection cannot
   * carry one test's deliberate failures into another; `client.sourceAddress` tells which one.
   */
  client(identity, { variant = 'privateauth', password, protocols = ['ocpp1.6'], strictMode = true, headers, endpoint, localAddress } = {}) {
    const isPublic = variant === 'public';
    const opts = {
      endpoint: endpoint ?? (isPublic ? this.publicEndpoint : this.privateAuthEndpoint),
      identity,
      protocols,
      strictMode,
      reconnect: false,
      callTimeoutMs: 15_000,
      pingIntervalMs: 0,
    };
    if (password !== undefined) opts.password = password;
    if (headers) opts.headers = headers;
    const source = localAddress ?? `127.0.0.${2 + randomBytes(1)[0] % 253}`;
    opts.wsOpts = { handshakeTimeout: 15_000, localAddress: source };
    if (isPublic) Object.assign(opts.wsOpts, { ca: this.cert.certPem, servername: 'localhost' });
    const cli = new RPCClient(opts);
    cli.sourceAddress = source;
    return cli;
  }
}

// ---------------------------------------------------------------------------------------------------------
// assertions shared by the suites

/** Connects and expects the handshake to be refused with `status`; returns the error (with .response). */
export async function expectRefused(client, status) {
  let err;
  try {
    await client.connect();
  } catch (e) {
    err = e;
  }
  if (!err) {
    await client.close({ force: true }).catch(() => {});
    assert.fail(`handshake was accepted, expected HTTP ${status}`);
  }
  assert.equal(err.code, status, `expected HTTP ${status}, got: ${err.code ?? ''} ${err.message}`);
  return err;
}

/** A schema-valid OCPP 1.6 BootNotification payload. */
export function bootPayload(extra = {}) {
  return { chargePointVendor: 'Interop', chargePointModel: 'ocpp-rpc', chargePointSerialNumber: 'SN-1', firmwareVersion: '1.0.0', ...extra };
}

/** Boots through an open client and asserts Accepted with an integer interval. */
export async function bootAccepted(client) {
  const res = await client.call('BootNotification', bootPayload());
  assert.equal(res.status, 'Accepted', `BootNotification answered ${JSON.stringify(res)}`);
  assert.ok(Number.isInteger(res.interval), `interval must be an integer: ${JSON.stringify(res)}`);
  return res;
}

/**
 * describe() when a server is configured; otherwise one skipped test per file, so the skip is counted
 * ("# skipped") and its reason printed, instead of a silently empty suite.
 */
export function serverSuite(name, fn) {
  if (skipReason) {
    test(name, { skip: skipReason }, () => {});
  } else {
    describe(name, fn);
  }
}

/**
 * Starts a server for a describe block: call inside describe(). The server is started in before(); a start
 * failure does not throw there (node would then report every test as "cancelled", which summaries do not
 * count as failures) but is rethrown by `ctx.server` in each test, so every test fails: the first with the
 * full error and the server's output, the others with a short pointer to it.
 */
export function useServer({ before, after }) {
  let server = null;
  let startError = null;
  let reported = false;
  const ctx = {
    get server() {
      if (server) return server;
      if (startError) {
        if (!reported) { reported = true; throw startError; }
        throw new Error(`${startError.message.split('\n')[0]} (details in the first failing test of this file)`);
      }
      throw new Error('Voltgate server not started: useServer() must be called inside the describe() block');
    },
  };
  before(async () => {
    const s = new VoltgateServer();
    try {
      await s.start();
      server = s;
    } catch (err) {
      startError = err;
      await s.stop().catch(() => {});
    }
  }, { timeout: STARTUP_TIMEOUT_MS * 3 + 30_000 });
  after(async () => {
    if (server) await server.stop();
  }, { timeout: STOP_GRACE_MS + 10_000 });
  return ctx;
}
