// Worker threads do not inherit the TypeScript loader: register it, then hand over the worker.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./render-worker.ts');
export default worker.default;
