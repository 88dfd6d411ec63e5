// The container runs the server exactly as `npm start` does: same Node flags, same entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startNodeFlags } from '../../server/node-flags.ts';

describe('Node flags', () => {
  it('npm start and the Dockerfile start the server with the same flags', () => {
    const flags = startNodeFlags();
    expect(flags).toContain('--max-semi-space-size=32');
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'))?.[1];
    expect(cmd).toBeTruthy();
    expect(JSON.parse(cmd!)).toEqual(['node', ...flags, '--import', 'tsx', 'server/start.ts']);
  });

});
