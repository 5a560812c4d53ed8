import type { Redactor } from '../transport/redact.js';
import type { Capture, Finding } from './types.js';

/**
 * A capture as it may be stored, exported and shown: the free text in it (why a host could not be
 * read, the findings' sentences) is redacted. The inventory itself (names, paths, placement) is
 * the site's data and stays byte for byte: a failover registers VMs under these names.
 */
export function redactCapture(capture: Capture, redactor: Redactor): Capture {
  const text = (s: string) => redactor.redact(s);
  const finding = (f: Finding): Finding => {
    const out: Finding = { ...f, message: text(f.message) };
    if (f.detail) {
      const params = Object.fromEntries(Object.entries(f.detail.params).map(([k, v]) => [k, typeof v === 'string' ? text(v) : v]));
      out.detail = { ...f.detail, params } as Finding['detail'];
    }
    return out;
  };
  return {
    ...capture,
    hosts: capture.hosts.map((h) => (h.error === undefined ? h : { ...h, error: text(h.error) })),
    audit: { ...capture.audit, findings: capture.audit.findings.map(finding) },
  };
}
