import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFingerprint, normalizeFingerprint } from '../../../src/adapters/vcenter/client.js';
import { envelope, parseResponse, propertyValue, readSoapResponse, type XmlNode } from '../../../src/adapters/vcenter/soap.js';
import { parseSite } from '../../../src/runbook/site.js';

// The shape vCenter answers with (xsi bound as `xsi`) and the one govmomi's encoder writes
// (the schema-instance namespace bound as `XMLSchema-instance`): both must read the same.
const VCENTER = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-42</obj><propSet><name>name</name><val xsi:type="xsd:string">web 01  </val></propSet><propSet><name>parent</name><val type="Folder" xsi:type="ManagedObjectReference">group-v7</val></propSet><propSet><name>network</name><val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Network" xsi:type="ManagedObjectReference">network-12</ManagedObjectReference></val></propSet></objects></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>`;
const GOVMOMI = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-42</obj><propSet><name>name</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="xsd:string">web 01  </val></propSet><propSet><name>parent</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ManagedObjectReference" type="Folder">group-v7</val></propSet><propSet><name>network</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Network">network-12</ManagedObjectReference></val></propSet></objects></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>`;

function props(xml: string): Record<string, unknown> {
  const r = parseResponse(xml);
  if (!('body' in r)) throw new Error('fault');
  const ret = ((r.body['RetrievePropertiesExResponse'] as XmlNode)['returnval'] as XmlNode[])[0]!;
  const o = (ret['objects'] as XmlNode[])[0]!;
  return Object.fromEntries((o['propSet'] as XmlNode[]).map((p) => [p['name'], propertyValue(p['val'])]));
}

describe('vim25 SOAP', () => {
  it('reads property values the same from vCenter and from govmomi, names byte for byte', () => {
    const want = { name: 'web 01  ', parent: { type: 'Folder', value: 'group-v7' }, network: [{ type: 'Network', value: 'network-12' }] };
    expect(props(VCENTER)).toEqual(want);
    expect(props(GOVMOMI)).toEqual(want);
  });

  it('reads a fault: its vim25 type and message', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Cannot complete login due to an incorrect user name or password.</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
    expect(parseResponse(xml)).toEqual({
      fault: { type: 'InvalidLogin', message: 'Cannot complete login due to an incorrect user name or password.' },
    });
  });

  it('escapes what it sends: a hostile VM name stays one text node', () => {
    const body = envelope('RegisterVM_Task', { type: 'Folder', value: 'group-v3' }, [
      ['path', '[ds] a/b.vmx'],
      ['name', `<x> & "q" 'a'`],
    ]);
    expect(body).toContain(
      '<_this type="Folder">group-v3</_this><path>[ds] a/b.vmx</path><name>&lt;x&gt; &amp; &quot;q&quot; &apos;a&apos;</name>',
    );
  });

  it('fingerprints compare whatever their case and separators', () => {
    const fp = 'ab:CD:' + '00:'.repeat(29) + 'ff';
    expect(formatFingerprint(fp)).toBe(`AB:CD:${'00:'.repeat(29)}FF`);
    expect(normalizeFingerprint(`SHA256:${fp.replace(/:/g, '')}`)).toBe(normalizeFingerprint(fp));
  });
});

describe('site file vcenter section', () => {
  const base = `site: s1
esxi: { hosts: [{ name: esx01, address: 127.0.0.1 }] }
ontap: { name: c1, address: 127.0.0.1 }
relationship: { source: 'svm1:v1', destination: 'svm2:v2' }
datastores:
  primary: { name: ds1, nfsHost: 127.0.0.1, share: /v1 }
  mirror: { name: ds2, nfsHost: 127.0.0.1, share: /v2 }
jobs: [daily]
`;
  const fp = Array(32).fill('AB').join(':');

  it('takes the API endpoint with a pinned certificate and a password variable', () => {
    const site = parseSite(
      `${base}vcenter: { vm: vcsa, url: 'https://127.0.0.1:8443/sdk', tlsFingerprint: '${fp}', user: admin, passwordEnv: VC_PW }\n`,
      'site.yaml',
    );
    expect(site.vcenter).toEqual({
      vm: 'vcsa',
      url: 'https://127.0.0.1:8443/sdk',
      tlsFingerprint: fp,
      user: 'admin',
      passwordEnv: 'VC_PW',
    });
  });

  it('refuses a url without its pin, and a fingerprint that is not SHA-256, naming the field', () => {
    expect(() => parseSite(`${base}vcenter: { vm: vcsa, url: 'https://127.0.0.1/sdk' }\n`, 'site.yaml')).toThrow(
      /vcenter.*tlsFingerprint, user and passwordEnv/s,
    );
    expect(() =>
      parseSite(
        `${base}vcenter: { vm: vcsa, url: 'https://127.0.0.1/sdk', tlsFingerprint: 'AB:CD', user: a, passwordEnv: P }\n`,
        'site.yaml',
      ),
    ).toThrow(/tlsFingerprint/);
  });
});

const DEVICES = fileURLToPath(new URL('../../fixtures/devices/', import.meta.url));
const samples = readdirSync(DEVICES)
  .filter((n) => /^vcenter-soap-.*\.xml$/.test(n))
  .map((n) => readFileSync(`${DEVICES}${n}`, 'utf8'));

/** A reading, or an Error: never a hang, never another throw. */
function survives(text: string): void {
  try {
    const r = readSoapResponse(text);
    if ('objects' in r) for (const o of r.objects) expect(typeof o.obj.type).toBe('string');
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
  }
}

describe('vim25 SOAP responses, real (KINDS.md) and broken', () => {
  it('reads what vCenter 5.5 and 6.0 answered: the view, a name, the service content, a fault', () => {
    const byName = (n: string) => readSoapResponse(readFileSync(`${DEVICES}${n}`, 'utf8'));
    const view = byName('vcenter-soap-retrieve-properties-ex-1.xml');
    expect('objects' in view && view.objects[0]!.obj.type).toBe('ContainerView');
    const vms = 'objects' in view ? (view.objects[0]!.props['view'] as { type: string; value: string }[]) : [];
    expect(vms.length).toBeGreaterThan(5);
    expect(vms[0]).toEqual({ type: 'VirtualMachine', value: 'vm-744' });
    expect(byName('vcenter-soap-retrieve-properties-ex-2.xml')).toEqual({
      response: 'RetrievePropertiesExResponse',
      objects: [{ obj: { type: 'VirtualMachine', value: 'vm-744' }, props: { name: 'MARVEL-Freak' } }],
      token: null,
    });
    expect(byName('vcenter-soap-retrieve-properties-ex-empty-view-1.xml')).toMatchObject({ objects: [{ props: { view: [] } }] });
    expect(byName('vcenter-soap-retrieve-service-content-1.xml')).toMatchObject({
      response: 'RetrieveServiceContentResponse',
      returnval: {
        rootFolder: { type: 'Folder', value: 'group-d1' },
        propertyCollector: { type: 'PropertyCollector', value: 'propertyCollector' },
      },
    });
    expect(byName('vcenter-soap-create-container-view-1.xml')).toMatchObject({ returnval: { type: 'ContainerView' } });
    expect(byName('vcenter-soap-fault-invalid-login-1.xml')).toEqual({
      fault: { type: 'InvalidLogin', message: 'Cannot complete login due to an incorrect user name or password.' },
    });
  });

  it('truncated, shuffled or random text: a reading or an error, never a hang or a crash', () => {
    expect(samples.length).toBeGreaterThanOrEqual(6);
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), (t, at) => survives(t.slice(0, at % (t.length + 1)))),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...samples).chain((t) => fc.shuffledSubarray(t.split(/(?=<)/))),
        (parts) => survives(parts.join('')),
      ),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (t) => survives(t)),
      { numRuns: 300 },
    );
  });
});
