import { runServices } from '@cartwheel/kit';
import { service } from './index.js';

await runServices('ai', [service]);
