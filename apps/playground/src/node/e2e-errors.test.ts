import { describe, expect, it } from 'vitest';
import { chromiumAvailable, runE2e } from './e2e.js';

describe('e2e driver without a browser', () => {
  it('fails with a message naming the missing Chromium and how to install it', async () => {
    expect(chromiumAvailable('/nonexistent/chromium')).toBe(false);
    await expect(runE2e({ url: 'http://127.0.0.1:9/', outDir: '/nonexistent', chromiumPath: '/nonexistent/chromium' })).rejects.toThrow(
      'e2e: no Chromium at /nonexistent/chromium (Debian: apt-get install chromium; .ci/run does it)',
    );
  });
});
