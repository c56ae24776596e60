import { chmod, readFile, writeFile } from 'node:fs/promises';
import { packageConfig } from '../../tsup.base.mjs';

// One build (so `clean` cannot race a second one); only the bin gets the shebang and the x bit.
export default packageConfig(['src/index.ts', 'src/cli.ts'], {
  dts: { entry: 'src/index.ts' },
  async onSuccess() {
    const cli = new URL('./dist/cli.js', import.meta.url);
    const text = await readFile(cli, 'utf8');
    if (!text.startsWith('#!')) await writeFile(cli, `#!/usr/bin/env node\n${text}`);
    await chmod(cli, 0o755);
  },
});
