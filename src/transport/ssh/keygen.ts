import ssh2 from 'ssh2';

const { utils } = ssh2;

export interface GeneratedKey {
  /** OpenSSH private key text. */
  private: string;
  /** `ssh-ed25519 AAAA… comment` */
  public: string;
}

/**
 * An ed25519 key pair in OpenSSH format that ssh2 itself can read back. About one key in 256
 * from ssh2's generator is refused by its own parser (mscdex/ssh2 #1390, #1513), which would make
 * a lab or a test fail at random: generate until the parser accepts the key.
 */
export function generateEd25519(opts: { comment?: string; passphrase?: string } = {}): GeneratedKey {
  for (let i = 0; i < 64; i++) {
    const k =
      opts.passphrase !== undefined
        ? utils.generateKeyPairSync('ed25519', { comment: opts.comment, passphrase: opts.passphrase, cipher: 'aes256-ctr', rounds: 1 })
        : utils.generateKeyPairSync('ed25519', { comment: opts.comment });
    const parsed = utils.parseKey(k.private, opts.passphrase);
    if (!(parsed instanceof Error) && !(utils.parseKey(k.public) instanceof Error)) return { private: k.private, public: k.public };
  }
  throw new Error('could not generate a readable ed25519 key');
}
