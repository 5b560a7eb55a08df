import Fastify from 'fastify';
import clerk from './plugins/clerk';
import { orderRoutes } from './routes/orders';
import { accountRoutes } from './routes/account';

const fastify = Fastify({ logger: true });

// A fastify-plugin wrapper: clerkPlugin lands in the root scope.
fastify.register(clerk);

fastify.get('/health', async () => ({ ok: true }));

// Clock reads only: nothing to protect.
fastify.get('/status', async (request, reply) =>
  reply.send({ uptime: process.uptime(), at: Date.now() }),
);

fastify.register(orderRoutes, { prefix: '/api' });
fastify.register(accountRoutes, { prefix: '/account' });

fastify.listen({ port: 3000 });
