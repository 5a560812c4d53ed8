import { randomUUID } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, fetch } from 'undici';
import { ConnectError, RemoteCommandError, describeError } from '../../errors.js';
import type { AuditSink } from '../../transport/types.js';
import type { VcenterMethod } from '../../transport/intent.js';
import { vcenterCalls } from './commands.js';
import {
  envelope,
  moRef,
  parseResponse,
  propertyValue,
  readRetrieveResult,
  text,
  type MoRef,
  type ObjectContent,
  type PropertyValue,
  type SoapValue,
  type XmlNode,
  xsiType,
} from './soap.js';

/**
 * A vSphere (vCenter) API client: SOAP over fetch, the server certificate pinned by its SHA-256
 * fingerprint like an SSH host key. Only what placement needs: login, the property collector,
 * RegisterVM_Task, MoveIntoFolder_Task, MoveIntoResourcePool, UnregisterVM and task polling.
 */

export interface VcenterEndpoint {
  /** `https://host:port/sdk` */
  url: string;
  /** The certificate's SHA-256 fingerprint, `AB:CD:…` (as `openssl x509 -fingerprint -sha256` prints it). */
  tlsFingerprint: string;
  user: string;
}

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
}

export type { ObjectContent };

/** What to read: for each managed object type, which properties. */
export type PropertyWants = Record<string, string[]>;

const NAME = 'vcenter';
const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };

export function normalizeFingerprint(fp: string): string {
  return fp
    .replace(/^SHA256:/i, '')
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase();
}

export function formatFingerprint(fp: string): string {
  return normalizeFingerprint(fp).match(/../g)?.join(':') ?? '';
}

/** TLS connect that accepts exactly one certificate: the pinned one (no CA involved). */
function pinnedAgent(expected: string | null, seen: (fp: string) => void): Agent {
  return new Agent({
    connect: (opts, callback) => {
      let done = false;
      const finish = (err: Error | null, socket: tls.TLSSocket | null): void => {
        if (done) return;
        done = true;
        if (err) callback(err, null);
        // A socket is always passed without an error; the rule misreads undici's overloaded callback.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        else callback(null, socket!);
      };
      const socket = tls.connect({
        host: opts.hostname,
        port: Number(opts.port) || 443,
        ...(net.isIP(opts.hostname) ? {} : { servername: opts.hostname }),
        // The pin below is the check; a lab or site certificate is usually self-signed.
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      });
      socket.once('secureConnect', () => {
        const got = formatFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
        seen(got);
        if (expected !== null && normalizeFingerprint(got) !== normalizeFingerprint(expected)) {
          socket.destroy();
          finish(new CertificateMismatch(formatFingerprint(expected), got), null);
          return;
        }
        finish(null, socket);
      });
      socket.once('error', (err: Error) => finish(err, null));
    },
  });
}

class CertificateMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`certificate SHA-256 ${got} is not the pinned ${expected}`);
  }
}

/** The certificate fingerprint a vCenter presents (for `drbook init`, which shows it to compare). */
export async function probeCertificate(url: string, timeoutMs = 10_000): Promise<string> {
  let seen = '';
  const agent = pinnedAgent(null, (fp) => (seen = fp));
  try {
    await fetch(new URL('/', url), { dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) }).then((r) => r.arrayBuffer());
  } catch (err) {
    if (!seen) throw connectError(url, err);
  } finally {
    await agent.close();
  }
  return seen;
}

function connectError(url: string, err: unknown): ConnectError {
  const cause = (err as { cause?: unknown }).cause ?? err;
  if (cause instanceof CertificateMismatch)
    return new ConnectError(
      NAME,
      'hostkey-changed',
      `vCenter ${url} presented certificate SHA-256 ${cause.got}, but the site file pins ${cause.expected}`,
      'if the certificate was replaced on purpose, compare it on the vCenter and put the new fingerprint in vcenter.tlsFingerprint',
      { cause },
    );
  if ((err as Error).name === 'TimeoutError' || (cause as Error).name === 'TimeoutError')
    return new ConnectError(NAME, 'timeout', `vCenter ${url} did not answer in time`, 'check that vCenter is up and reachable', { cause });
  const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
  return new ConnectError(NAME, 'unreachable', `vCenter ${url} cannot be reached: ${code}`, 'check that vCenter is up and reachable', {
    cause,
  });
}

export class VcenterClient {
  private cookie: string | null = null;
  content!: ServiceContent;

  private constructor(
    readonly endpoint: VcenterEndpoint,
    private readonly agent: Agent,
    private readonly timeoutMs: number,
    private readonly userAgent: string,
    private readonly audit: AuditSink | undefined,
  ) {}

  /** Connects, checks the certificate pin, reads the service content and logs in. */
  /** `audit`: where each call that changes vCenter is journaled, before it is sent and after. */
  static async connect(
    endpoint: VcenterEndpoint,
    password: string,
    opts: { timeoutMs?: number; userAgent?: string; audit?: AuditSink | undefined } = {},
  ): Promise<VcenterClient> {
    const agent = pinnedAgent(endpoint.tlsFingerprint, () => undefined);
    // vCenter lists each session with its user agent: an administrator sees drbook's.
    const client = new VcenterClient(endpoint, agent, opts.timeoutMs ?? 30_000, opts.userAgent ?? 'drbook', opts.audit);
    try {
      const sc = await client.call('RetrieveServiceContent', SERVICE_INSTANCE, []);
      const ref = (k: string): MoRef => moRef((sc['returnval'] as XmlNode[])[0]![k])!;
      client.content = {
        rootFolder: ref('rootFolder'),
        propertyCollector: ref('propertyCollector'),
        viewManager: ref('viewManager'),
        sessionManager: ref('sessionManager'),
      };
      try {
        await client.call('Login', client.content.sessionManager, [
          ['userName', endpoint.user],
          ['password', password],
        ]);
      } catch (err) {
        if (err instanceof RemoteCommandError && err.fault === 'InvalidLogin')
          throw new ConnectError(
            NAME,
            'auth',
            `vCenter ${endpoint.url} refused the login of ${endpoint.user}`,
            'check the user and the password in the environment variable named by vcenter.passwordEnv',
          );
        throw err;
      }
    } catch (err) {
      await agent.close();
      throw err;
    }
    return client;
  }

  /** One SOAP call; returns the response element. A server fault is a RemoteCommandError. */
  async call(method: string, self: MoRef, args: [string, SoapValue | SoapValue[] | undefined][]): Promise<XmlNode> {
    let res;
    try {
      res = await fetch(this.endpoint.url, {
        method: 'POST',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: 'urn:vim25/7.0',
          'user-agent': this.userAgent,
          ...(this.cookie ? { cookie: this.cookie } : {}),
        },
        body: envelope(method, self, args),
      });
    } catch (err) {
      throw connectError(this.endpoint.url, err);
    }
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const xml = await res.text();
    let parsed;
    try {
      parsed = parseResponse(xml);
    } catch {
      throw new RemoteCommandError(NAME, method, `HTTP ${res.status}: ${xml.slice(0, 200)}`);
    }
    if ('fault' in parsed) throw new RemoteCommandError(NAME, method, parsed.fault.message, parsed.fault.type);
    const key = Object.keys(parsed.body).find((k) => k.endsWith(`${method}Response`));
    return ((key ? parsed.body[key] : {}) ?? {}) as XmlNode;
  }

  /** Every object of the wanted types under the root folder, with the wanted properties. */
  async retrieveAll(wants: PropertyWants): Promise<ObjectContent[]> {
    const view = await this.call('CreateContainerView', this.content.viewManager, [
      ['container', this.content.rootFolder],
      ['type', Object.keys(wants)],
      ['recursive', true],
    ]);
    const viewRef = moRef((view['returnval'] as XmlNode[])[0])!;
    try {
      return await this.retrieve(wants, viewRef, {
        xsiType: 'TraversalSpec',
        fields: [
          ['name', 'view'],
          ['type', 'ContainerView'],
          ['path', 'view'],
          ['skip', false],
        ],
      });
    } finally {
      await this.call('DestroyView', viewRef, []).catch(() => undefined);
    }
  }

  /** Properties of some objects by reference (e.g. a task's info). */
  async retrieveObjects(type: string, refs: MoRef[], paths: string[]): Promise<ObjectContent[]> {
    const out: ObjectContent[] = [];
    for (const ref of refs) out.push(...(await this.retrieve({ [type]: paths }, ref, undefined, false)));
    return out;
  }

  private async retrieve(wants: PropertyWants, obj: MoRef, selectSet: SoapValue | undefined, skip = true): Promise<ObjectContent[]> {
    const specSet: SoapValue = {
      fields: [
        [
          'propSet',
          Object.entries(wants).map(([type, paths]) => ({
            fields: [
              ['type', type],
              ['all', false],
              ['pathSet', paths],
            ],
          })),
        ],
        [
          'objectSet',
          {
            fields: [
              ['obj', obj],
              ['skip', skip],
              ['selectSet', selectSet],
            ],
          },
        ],
      ],
    };
    const out: ObjectContent[] = [];
    let res = await this.call('RetrievePropertiesEx', this.content.propertyCollector, [
      ['specSet', specSet],
      ['options', { fields: [] }],
    ]);
    for (;;) {
      let result;
      try {
        result = readRetrieveResult(res);
      } catch (err) {
        throw new RemoteCommandError(NAME, 'RetrievePropertiesEx', (err as Error).message);
      }
      out.push(...result.objects);
      const token = result.token;
      if (!token) break;
      res = await this.call('ContinueRetrievePropertiesEx', this.content.propertyCollector, [['token', token]]);
    }
    return out;
  }

  /** Polls a task until it ends; its error becomes a RemoteCommandError carrying the fault type. */
  async waitForTask(task: MoRef, what: string, signal?: AbortSignal): Promise<PropertyValue | null> {
    for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
      const [info] = await this.retrieveObjects('Task', [task], ['info']);
      const i = (info?.props['info'] ?? {}) as XmlNode;
      const state = text(i['state']);
      if (state === 'success') return i['result'] === undefined ? null : propertyValue(i['result']);
      if (state === 'error') {
        const e = (i['error'] ?? {}) as XmlNode;
        const fault = (e['fault'] ?? {}) as XmlNode;
        const type = xsiType(fault) ?? 'Fault';
        throw new RemoteCommandError(NAME, what, text(e['localizedMessage']) || type, type);
      }
      signal?.throwIfAborted();
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /**
   * A call that changes vCenter, journaled like a device command: its intent before it is sent
   * (`RegisterVM_Task path=… name=…`, the method first), its outcome after (exit 0: done).
   */
  private async changing<T>(method: VcenterMethod, command: string, fn: () => Promise<T>): Promise<T> {
    const id = `vcenter-${randomUUID()}`;
    const startedAt = Date.now();
    const onRecord = this.audit?.commandStarted({ id, host: NAME, command, intent: { op: 'vcenter-call', method }, at: startedAt });
    const finish = (exitCode: number, stdout: string, error?: string) =>
      this.audit?.commandFinished({
        id,
        result: {
          host: NAME,
          command,
          exitCode,
          signal: null,
          stdout,
          stderr: error ?? '',
          startedAt,
          durationMs: Date.now() - startedAt,
          truncated: false,
        },
        ...(error === undefined ? {} : { error }),
      });
    try {
      await onRecord;
      const r = await fn();
      finish(0, '');
      return r;
    } catch (err) {
      finish(1, '', describeError(err));
      throw err;
    }
  }

  /** RegisterVM_Task: the .vmx at `path` as `name` in `folder`, in `pool`, on `host`. */
  async registerVm(args: { folder: MoRef; path: string; name: string; pool: MoRef; host: MoRef }): Promise<MoRef> {
    const command = vcenterCalls.registerVm({
      path: args.path,
      name: args.name,
      folder: args.folder.value,
      pool: args.pool.value,
      host: args.host.value,
    });
    return this.changing('RegisterVM_Task', command, async () => {
      const res = await this.call('RegisterVM_Task', args.folder, [
        ['path', args.path],
        ['name', args.name],
        ['asTemplate', false],
        ['pool', args.pool],
        ['host', args.host],
      ]);
      return (await this.waitForTask(this.taskOf(res), `RegisterVM_Task ${args.path}`)) as MoRef;
    });
  }

  async moveIntoFolder(folder: MoRef, vms: MoRef[]): Promise<void> {
    await this.changing(
      'MoveIntoFolder_Task',
      vcenterCalls.moveIntoFolder(
        folder.value,
        vms.map((v) => v.value),
      ),
      async () => {
        const res = await this.call('MoveIntoFolder_Task', folder, [['list', vms]]);
        await this.waitForTask(this.taskOf(res), 'MoveIntoFolder_Task');
      },
    );
  }

  async moveIntoResourcePool(pool: MoRef, vms: MoRef[]): Promise<void> {
    await this.changing(
      'MoveIntoResourcePool',
      vcenterCalls.moveIntoResourcePool(
        pool.value,
        vms.map((v) => v.value),
      ),
      () => this.call('MoveIntoResourcePool', pool, [['list', vms]]),
    );
  }

  /** CreateFolder: a folder `name` under `parent`; returns it. */
  async createFolder(parent: MoRef, name: string): Promise<MoRef> {
    return this.changing('CreateFolder', vcenterCalls.createFolder(parent.value, name), async () =>
      moRef(((await this.call('CreateFolder', parent, [['name', name]]))['returnval'] as XmlNode[])[0])!,
    );
  }

  /** Destroy_Task of an (empty) folder. */
  async destroyFolder(folder: MoRef): Promise<void> {
    await this.changing('Destroy_Task', vcenterCalls.destroyFolder(folder.value), async () => {
      const res = await this.call('Destroy_Task', folder, []);
      await this.waitForTask(this.taskOf(res), 'Destroy_Task');
    });
  }

  /** Removes a VM from the inventory (its files stay). */
  async unregisterVm(vm: MoRef): Promise<void> {
    await this.changing('UnregisterVM', vcenterCalls.unregisterVm(vm.value), () => this.call('UnregisterVM', vm, []));
  }

  private taskOf(res: XmlNode): MoRef {
    return moRef((res['returnval'] as XmlNode[])[0])!;
  }

  async logout(): Promise<void> {
    try {
      await this.call('Logout', this.content.sessionManager, []);
    } catch {
      // Best effort: the session expires on its own.
    } finally {
      await this.agent.close();
    }
  }
}
