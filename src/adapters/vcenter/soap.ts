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
export type SoapValue = string | number | boolean | MoRef | { xsiType?: string; fields: [string, SoapValue | SoapValue[] | undefined][] };

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

/** One object of a RetrievePropertiesEx answer: its reference and the properties asked for. */
export interface ObjectContent {
  obj: MoRef;
  props: Record<string, PropertyValue>;
}

/** A RetrieveResult (RetrievePropertiesEx, ContinueRetrievePropertiesEx): its objects and the token for more. */
export function readRetrieveResult(response: XmlNode): { objects: ObjectContent[]; token: string | null } {
  const ret = (response['returnval'] as XmlNode[] | undefined)?.[0];
  const objects: ObjectContent[] = [];
  if (!ret) return { objects, token: null };
  for (const o of (ret['objects'] as XmlNode[] | undefined) ?? []) {
    const obj = moRef(o['obj']);
    if (!obj) throw new Error('an object without its <obj type="…"> reference');
    const props: Record<string, PropertyValue> = {};
    for (const p of (o['propSet'] as XmlNode[] | undefined) ?? []) props[text(p['name'])] = propertyValue(p['val']);
    objects.push({ obj, props });
  }
  return { objects, token: text(ret['token']) || null };
}

/**
 * What `drbook parse vcenter-soap` prints for one response body: the fault, or the method's
 * response with what drbook reads of it (a RetrieveResult's objects, else its return value).
 */
export type SoapReading =
  | { fault: SoapFault }
  | { response: string; objects: PlainObjectContent[]; token: string | null }
  | { response: string; returnval: PlainValue | null };

/** A value as JSON shows it: a data object's fields by name, a reference as { type, value }. */
export type PlainValue = string | MoRef | PlainValue[] | { [field: string]: PlainValue };
export interface PlainObjectContent {
  obj: MoRef;
  props: Record<string, PlainValue>;
}

/** Data objects (task info, service content) as plain fields; their `xsi:type` as `_type`. */
export function plainValue(v: unknown): PlainValue {
  if (Array.isArray(v)) return v.map(plainValue);
  if (typeof v === 'string') return v;
  // The parser's leaves are strings, numbers and booleans (no functions or symbols in XML).
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v !== 'object' || v === null) return '';
  if (isMoRef(v)) return v;
  const n = v as XmlNode;
  const ref = moRef(n);
  if (ref) return ref;
  const out: { [field: string]: PlainValue } = {};
  const type = xsiType(n);
  if (type) out['_type'] = type;
  for (const [k, child] of Object.entries(n)) if (!k.startsWith('@_') && k !== '#text') out[k] = plainValue(child);
  if (Object.keys(out).length === (type ? 1 : 0) && '#text' in n) return text(n);
  return out;
}

export function readSoapResponse(xml: string): SoapReading {
  const parsed = parseResponse(xml);
  if ('fault' in parsed) return { fault: parsed.fault };
  const key = Object.keys(parsed.body).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!key) throw new Error('a SOAP body without a response element');
  const response = key.replace(/^[^:]+:/, '');
  const node = (parsed.body[key] ?? {}) as XmlNode;
  if (/^(Continue)?RetrievePropertiesExResponse$|^RetrievePropertiesResponse$/.test(response)) {
    const r = readRetrieveResult(node);
    return {
      response,
      objects: r.objects.map((o) => ({
        obj: o.obj,
        props: Object.fromEntries(Object.entries(o.props).map(([k, v]) => [k, plainValue(v)])),
      })),
      token: r.token,
    };
  }
  const ret = (node['returnval'] as unknown[] | undefined)?.[0];
  return { response, returnval: ret === undefined ? null : plainValue(propertyValue(ret)) };
}
