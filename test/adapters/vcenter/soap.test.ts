import { describe, expect, it } from 'vitest';
import { formatFingerprint, normalizeFingerprint } from '../../../src/adapters/vcenter/client.js';
import { envelope, parseResponse, propertyValue, type XmlNode } from '../../../src/adapters/vcenter/soap.js';
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
    expect(parseResponse(xml)).toEqual({ fault: { type: 'InvalidLogin', message: 'Cannot complete login due to an incorrect user name or password.' } });
  });

  it('escapes what it sends: a hostile VM name stays one text node', () => {
    const body = envelope('RegisterVM_Task', { type: 'Folder', value: 'group-v3' }, [
      ['path', '[ds] a/b.vmx'],
      ['name', `<x> & "q" 'a'`],
    ]);
    expect(body).toContain('<_this type="Folder">group-v3</_this><path>[ds] a/b.vmx</path><name>&lt;x&gt; &amp; &quot;q&quot; &apos;a&apos;</name>');
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
    const site = parseSite(`${base}vcenter: { vm: vcsa, url: 'https://127.0.0.1:8443/sdk', tlsFingerprint: '${fp}', user: admin, passwordEnv: VC_PW }\n`, 'site.yaml');
    expect(site.vcenter).toEqual({ vm: 'vcsa', url: 'https://127.0.0.1:8443/sdk', tlsFingerprint: fp, user: 'admin', passwordEnv: 'VC_PW' });
  });

  it('refuses a url without its pin, and a fingerprint that is not SHA-256, naming the field', () => {
    expect(() => parseSite(`${base}vcenter: { vm: vcsa, url: 'https://127.0.0.1/sdk' }\n`, 'site.yaml')).toThrow(/vcenter.*tlsFingerprint, user and passwordEnv/s);
    expect(() =>
      parseSite(`${base}vcenter: { vm: vcsa, url: 'https://127.0.0.1/sdk', tlsFingerprint: 'AB:CD', user: a, passwordEnv: P }\n`, 'site.yaml'),
    ).toThrow(/tlsFingerprint/);
  });
});
