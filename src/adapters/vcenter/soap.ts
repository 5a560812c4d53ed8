import { XMLParser } from 'fast-xml-parser';

/**
 * The vSphere Web Services (vim25) SOAP wire format: building request bodies from typed values
 * and reading responses back into plain data. Knows no HTTP and no session.
 */

/** A managed object reference: `<obj type="VirtualMachine">vm-42</obj>`. */
export interface MoRef {
  type: string;
  value: string;
}

/** An XML element to send: its children in schema order (vim25 is order-sensitive). */
export type SoapValue =
  | string
  | number
  | boolean
  | MoRef
  | { xsiType?: string; fields: [string, SoapValue | SoapValue[] | undefined][] };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function isMoRef(v: unknown): v is MoRef {
  return typeof v === 'object' && v !== null && 'type' in v && 'value' in v && Object.keys(v).length === 2;
}

export function element(name: string, value: SoapValue | SoapValue[] | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return `<${name}>${escapeXml(String(value))}</${name}>`;
  if (isMoRef(value)) return `<${name} type="${escapeXml(value.type)}">${escapeXml(value.value)}</${name}>`;
  const type = value.xsiType ? ` xsi:type="${escapeXml(value.xsiType)}"` : '';
  return `<${name}${type}>${value.fields.map(([k, v]) => element(k, v)).join('')}</${name}>`;
}

/** One request: `<Method xmlns="urn:vim25"><_this …/>…</Method>` in a SOAP envelope. */
export function envelope(method: string, self: MoRef, args: [string, SoapValue | SoapValue[] | undefined][]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><${method} xmlns="urn:vim25">${element('_this', self)}` +
    args.map(([k, v]) => element(k, v)).join('') +
    `</${method}></soapenv:Body></soapenv:Envelope>`
  );
}

/** Parsed XML: elements as objects, attributes as `@_name`, text as `#text`. */
export type XmlNode = Record<string, unknown>;

// Repeated elements that must stay arrays even when there is one of them.
const ARRAYS = new Set(['objects', 'propSet', 'ManagedObjectReference', 'string', 'returnval', 'pathSet']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  // Names may end in spaces (a VM called "web01 "): keep text exactly as sent.
  trimValues: false,
  isArray: (name) => ARRAYS.has(name),
});

/** A fault the server returned: its vim25 fault type and its message. */
export interface SoapFault {
  type: string;
  message: string;
}

/** The body's one child (the method's response) or the fault; throws on text that is not SOAP. */
export function parseResponse(xml: string): { body: XmlNode } | { fault: SoapFault } {
  const doc = parser.parse(xml) as XmlNode;
  const env = pick(doc, 'Envelope');
  const body = env ? pick(env, 'Body') : undefined;
  if (!body) throw new Error(`not a SOAP response: ${xml.slice(0, 120)}`);
  const fault = pick(body, 'Fault');
  if (fault) {
    const detail = (fault['detail'] ?? {}) as XmlNode;
    const first = Object.entries(detail).find(([k]) => !k.startsWith('@_'));
    const type = first ? (xsiType(first[1] as XmlNode) ?? first[0].replace(/Fault$/, '')) : 'Fault';
    return { fault: { type, message: text(fault['faultstring']) || type } };
  }
  return { body };
}

/** The element whose local name is `name`, whatever its namespace prefix. */
function pick(node: XmlNode, name: string): XmlNode | undefined {
  for (const [k, v] of Object.entries(node)) if (k === name || k.endsWith(`:${name}`)) return v as XmlNode;
  return undefined;
}

export function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && '#text' in (v as XmlNode)) return String((v as XmlNode)['#text']);
  return '';
}

/**
 * The `xsi:type` of an element, whatever prefix the server bound the schema-instance namespace
 * to (vCenter writes `xsi:type`, govmomi `XMLSchema-instance:type`).
 */
export function xsiType(node: XmlNode): string | undefined {
  for (const [k, v] of Object.entries(node)) if (/^@_[^:]+:type$/.test(k) && typeof v === 'string') return v;
  return undefined;
}

export function moRef(v: unknown): MoRef | null {
  if (typeof v !== 'object' || v === null) return null;
  const n = v as XmlNode;
  const type = n['@_type'];
  if (typeof type !== 'string') return null;
  return { type, value: text(n) };
}

/** A property value as plain data: string, MoRef, MoRef[], string[] or the raw node. */
export type PropertyValue = string | MoRef | MoRef[] | string[] | XmlNode;

export function propertyValue(v: unknown): PropertyValue {
  if (typeof v === 'string') return v;
  const n = (v ?? {}) as XmlNode;
  const type = xsiType(n);
  if (type === 'ArrayOfManagedObjectReference') return ((n['ManagedObjectReference'] as unknown[]) ?? []).map((r) => moRef(r)!);
  if (type === 'ArrayOfString') return ((n['string'] as unknown[]) ?? []).map(text);
  if (type === 'ManagedObjectReference' || (typeof n['@_type'] === 'string' && !type)) return moRef(n)!;
  if (type?.startsWith('xsd:')) return text(n);
  return n;
}
