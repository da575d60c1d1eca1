import type { ServiceDefinition } from '@cartwheel/kit';
import { service as ai } from '@cartwheel/ai';
import { service as gateway } from '@cartwheel/gateway';
import { service as inventory } from '@cartwheel/inventory';
import { service as notification } from '@cartwheel/notification';
import { service as order } from '@cartwheel/order';
import { service as product } from '@cartwheel/product';
import { service as user } from '@cartwheel/user';

/**
 * Every service `make start` runs, in start order: a service's dependencies start before it,
 * so it finds them through `<NAME>_URL`; the gateway starts last, in front of all of them.
 */
export const services: ServiceDefinition[] = [user, product, inventory, order, notification, ai, gateway];
