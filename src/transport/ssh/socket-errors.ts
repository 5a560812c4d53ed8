/** What a failed TCP/SSH connection means, in words an operator reads: one table for every caller. */
const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'no answer',
  ENOTFOUND: 'address not found',
  EAI_AGAIN: 'address not found',
};

export function socketFailure(err: Error & { code?: string; level?: string }): { why: string; reason: 'timeout' | 'unreachable' } {
  return {
    why: (err.code && BY_CODE[err.code]) ?? err.message,
    reason: err.code === 'ETIMEDOUT' || err.level === 'client-timeout' ? 'timeout' : 'unreachable',
  };
}
