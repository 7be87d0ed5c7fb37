/**
 * Global setup of the end-to-end suite: a real JupyterHub with the demo world
 * (demo/jupyterhub_config.py), on free loopback ports, in a temporary folder.
 *
 * Returns the teardown, which stops the hub (and with it the proxy and every
 * single-user server it spawned) and removes the folder.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const PROJECT = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHub(
  url: string,
  hub: ChildProcess,
  logFile: string
): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (hub.exitCode !== null) {
      break;
    }
    try {
      const response = await fetch(`${url}/hub/api/`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  throw new Error(`JupyterHub did not start. Its log:\n${log.slice(-5000)}`);
}

function stopHub(hub: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (hub.exitCode !== null || hub.signalCode !== null) {
      resolve();
      return;
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-hub.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 30_000);
    hub.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    // The hub stops the proxy and the servers it spawned on SIGTERM.
    process.kill(-hub.pid!, 'SIGTERM');
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-groups-e2e-'));
  const [port, hubPort, proxyApiPort] = [
    await freePort(),
    await freePort(),
    await freePort()
  ];
  const url = `http://127.0.0.1:${port}`;
  const password = randomBytes(12).toString('hex');
  const token = randomBytes(24).toString('hex');
  const logFile = path.join(dataDir, 'jupyterhub.log');
  const log = fs.openSync(logFile, 'a');
  const python = process.env.HUB_GROUPS_VENV ?? path.join(PROJECT, '.venv');
  const hub = spawn(
    path.join(python, 'bin', 'jupyterhub'),
    ['-f', path.join(PROJECT, 'demo', 'jupyterhub_config.py')],
    {
      cwd: dataDir,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        HUB_GROUPS_DATA_DIR: dataDir,
        HUB_GROUPS_PORT: String(port),
        HUB_GROUPS_HUB_PORT: String(hubPort),
        HUB_GROUPS_PROXY_API_PORT: String(proxyApiPort),
        HUB_GROUPS_PASSWORD: password,
        HUB_GROUPS_SERVICE_TOKEN: token,
        HUB_GROUPS_E2E: '1'
      }
    }
  );
  try {
    await waitForHub(url, hub, logFile);
  } catch (e) {
    await stopHub(hub);
    throw e;
  }
  // Read by the tests (workers inherit the environment of this process).
  process.env.HUB_GROUPS_URL = url;
  process.env.HUB_GROUPS_PASSWORD = password;
  process.env.HUB_GROUPS_SERVICE_TOKEN = token;
  process.env.HUB_GROUPS_LOG = logFile;
  console.log(`JupyterHub for the end-to-end tests: ${url} (log: ${logFile})`);

  return async () => {
    await stopHub(hub);
    fs.closeSync(log);
    if (!process.env.HUB_GROUPS_KEEP) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
