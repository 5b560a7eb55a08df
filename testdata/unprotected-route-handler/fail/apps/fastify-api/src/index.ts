import Fastify from 'fastify';
import { clerkPlugin, getAuth } from '@clerk/fastify';
import { orderRoutes } from './routes/orders';
import { db } from './db';

const fastify = Fastify({ logger: true });
fastify.register(clerkPlugin);

fastify.get('/health', async () => ({ ok: true }));

fastify.get('/me', async (request, reply) => {
  const { userId } = getAuth(request);
  if (!userId) {
    return reply.code(401).send({ error: 'unauthorized' });
  }
  return db.user(userId);
});

fastify.post('/feedback', async (request, reply) => { // expect: unprotected-route-handler
  await db.feedback.insert(request.body);
  return reply.code(201).send();
});

fastify.register(orderRoutes, { prefix: '/api' });

fastify.listen({ port: 3000 });
