/**
 * Global setup of the end-to-end suite: a real JupyterHub with the demo world
 * (demo/jupyterhub_config.py), on free loopback ports, in a temporary folder,
 * and a local SMTP server (aiosmtpd) that keeps every e-mail the hub-groups
 * service sends (requests to join the course, to prof@example.org) in a
 * Maildir: `process.env.HUB_GROUPS_MAILBOX`, one file per message in its
 * `new/` folder.
 *
 * The world is the demo's (demo/groups.yaml) and one course more,
 * `Sketch2027`, with a title made of markup (`SKETCH_TITLE`), which only
 * `tutor` manages (no students, takes no requests): titles.spec.ts reads
 * it where instructors do, and no other spec's launcher changes.
 *
 * Returns the teardown, which stops the hub (and with it the proxy, the
 * hub-groups service and every single-user server it spawned) and the SMTP
 * server, and removes the folder.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const PROJECT = path.resolve(__dirname, '..');

/**
 * The title of the e2e world's course `Sketch2027`: markup that must be
 * shown as text wherever the title is (titles.spec.ts reads the same).
 */
export const SKETCH_TITLE =
  'Sketching <img src=x onerror="window.__hubGroupsPwned=1"> & "Spring" 2027';

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

async function waitForPort(
  port: number,
  child: ChildProcess,
  what: string
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      break;
    }
    const open = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not start on port ${port}`);
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

/**
 * Stop a process started in a group of its own (SIGTERM, then SIGKILL).
 */
function stopProcess(child: ChildProcess, patience = 30_000): Promise<void> {
  return stopHub(child, patience);
}

function stopHub(hub: ChildProcess, patience = 30_000): Promise<void> {
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
    }, patience);
    hub.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    // The hub stops the proxy and the servers it spawned on SIGTERM.
    process.kill(-hub.pid!, 'SIGTERM');
  });
}

/**
 * The end-to-end world's YAML file, written into `dataDir`: the demo's and
 * the titled course (see above). Written with the venv's PyYAML, so that
 * whatever the demo's file holds is carried as the hub helper reads it.
 */
function e2eWorld(python: string, dataDir: string): string {
  const file = path.join(dataDir, 'groups.yaml');
  const script = [
    'import sys, yaml',
    'world = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))',
    'world.setdefault("courses", {})["Sketch2027"] = {',
    '    "title": sys.argv[3], "instructors": ["tutor"]}',
    'with open(sys.argv[2], "w", encoding="utf-8") as out:',
    '    yaml.safe_dump(world, out, sort_keys=False, allow_unicode=True)'
  ].join('\n');
  const done = spawnSync(
    path.join(python, 'bin', 'python'),
    [
      '-c',
      script,
      path.join(PROJECT, 'demo', 'groups.yaml'),
      file,
      SKETCH_TITLE
    ],
    { encoding: 'utf-8' }
  );
  if (done.status !== 0) {
    throw new Error(`The e2e world's YAML was not written: ${done.stderr}`);
  }
  return file;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-groups-e2e-'));
  const [port, hubPort, proxyApiPort, servicePort, smtpPort] = [
    await freePort(),
    await freePort(),
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
  // The instructors' e-mails: aiosmtpd (the test extras) keeps each one as a
  // file of a Maildir; -n: never switch to user "nobody" (as root).
  const mailbox = path.join(dataDir, 'mailbox');
  const smtpLog = fs.openSync(path.join(dataDir, 'smtp.log'), 'a');
  const smtp = spawn(
    path.join(python, 'bin', 'python'),
    [
      '-m',
      'aiosmtpd',
      '-n',
      '-l',
      `127.0.0.1:${smtpPort}`,
      '-c',
      'aiosmtpd.handlers.Mailbox',
      mailbox
    ],
    { cwd: dataDir, detached: true, stdio: ['ignore', smtpLog, smtpLog] }
  );
  try {
    await waitForPort(smtpPort, smtp, 'The SMTP server (aiosmtpd)');
  } catch (e) {
    await stopProcess(smtp, 5_000);
    throw e;
  }
  const groupsYaml = e2eWorld(python, dataDir);
  // vox-collab's server reads JupyterLab's application settings from here
  // (launcher.spec.ts writes them: what an admin ships as overrides.json);
  // the demo's until then.
  const appSettings = path.join(dataDir, 'lab-vox-collab', 'settings');
  fs.mkdirSync(appSettings, { recursive: true });
  fs.copyFileSync(
    path.join(PROJECT, 'demo', 'overrides.json'),
    path.join(appSettings, 'overrides.json')
  );
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
        HUB_GROUPS_SERVICE_PORT: String(servicePort),
        HUB_GROUPS_SMTP_PORT: String(smtpPort),
        HUB_GROUPS_YAML: groupsYaml,
        HUB_GROUPS_E2E: '1',
        // beau's server starts as if a later hook replaced the helper's
        // (groups.spec.ts: the start's report)
        HUB_GROUPS_E2E_HOOK_REPLACED_FOR: 'beau',
        // pike's server runs without our server extension (groups.spec.ts:
        // the browser asks the hub itself); no other spec uses pike
        HUB_GROUPS_E2E_NO_SERVER_EXTENSION_FOR: 'pike',
        HUB_GROUPS_E2E_APP_SETTINGS_FOR: `vox-collab=${appSettings}`
      }
    }
  );
  try {
    await waitForHub(url, hub, logFile);
  } catch (e) {
    await stopHub(hub);
    await stopProcess(smtp, 5_000);
    throw e;
  }
  // Read by the tests (workers inherit the environment of this process).
  process.env.HUB_GROUPS_URL = url;
  process.env.HUB_GROUPS_PASSWORD = password;
  process.env.HUB_GROUPS_SERVICE_TOKEN = token;
  process.env.HUB_GROUPS_LOG = logFile;
  // A Maildir: every e-mail the hub sends is a file in its new/ folder.
  process.env.HUB_GROUPS_MAILBOX = mailbox;
  // vox-collab's overrides.json (read when its server starts).
  process.env.HUB_GROUPS_VOX_COLLAB_OVERRIDES = path.join(
    appSettings,
    'overrides.json'
  );
  console.log(
    `JupyterHub for the end-to-end tests: ${url} (log: ${logFile}; e-mails: ${mailbox})`
  );

  return async () => {
    await stopHub(hub);
    await stopProcess(smtp, 5_000);
    fs.closeSync(log);
    fs.closeSync(smtpLog);
    if (!process.env.HUB_GROUPS_KEEP) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
