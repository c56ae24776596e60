import { packageConfig } from '../../tsup.base.mjs';
export default packageConfig(['src/index.ts', 'src/engine-host-worker.ts', 'src/execution-worker.ts']);
