/** What the extension logs through; the VS Code side is a LogOutputChannel wrapped by {@link maskedLogger}. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Keys and tokens must never reach a log or an output channel. Known secret values are replaced
 * wherever they appear; anything shaped like a key in a header, query or bearer token is masked
 * even if it was never registered.
 */
export class SecretMasker {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would mask ordinary words; real keys and tokens are long.
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) masked = masked.split(secret).join('***');
    return masked
      .replace(/(x-functions-key["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, '$1***')
      .replace(/([?&]code=)[^\s&"']+/gi, '$1***')
      .replace(/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/g, '$1***');
  }
}

export function maskedLogger(target: Logger, masker: SecretMasker): Logger {
  return {
    trace: (message) => target.trace(masker.mask(message)),
    debug: (message) => target.debug(masker.mask(message)),
    info: (message) => target.info(masker.mask(message)),
    warn: (message) => target.warn(masker.mask(message)),
    error: (message) => target.error(masker.mask(message)),
  };
}
