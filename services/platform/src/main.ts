import { runServices } from '@cartwheel/kit';
import { services } from './services.js';

await runServices('platform', services);
