import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@gantry/observability';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export interface PortalFile {
  readonly body: Buffer;
  readonly type: string;
}

/** Where apps/portal's build lands beside the control plane's (dist/ mirrors the repository). */
export function defaultPortalDir(): string {
  return path.resolve(__dirname, '../../../portal/src');
}

/**
 * The portal's built files, read once: the files directly in the folder with a known type, by
 * name (so no request names anything outside it). A missing build is logged once, and /portal
 * then says how to build it.
 */
export class PortalFiles {
  private readonly files = new Map<string, PortalFile>();

  constructor(
    private readonly dir: string,
    logger: Logger,
  ) {
    if (!existsSync(path.join(dir, 'index.html'))) {
      logger.warn({ dir }, 'the web portal is not built: /portal answers 404');
      return;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const type = TYPES[path.extname(entry.name)];
      if (!entry.isFile() || !type || /\.spec\.js(\.map)?$/.test(entry.name)) continue;
      this.files.set(entry.name, { body: readFileSync(path.join(dir, entry.name)), type });
    }
  }

  get(name: string): PortalFile | undefined {
    return this.files.get(name);
  }

  missing(name: string): string {
    return this.files.size === 0
      ? `the web portal is not built (no ${this.dir}/index.html): run \`npx nx run portal:build\``
      : `${name} is not a file of the web portal`;
  }
}
