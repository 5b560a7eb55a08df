import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAuth } from '@clerk/fastify';
import { db } from '../db';

async function requireUser(request: FastifyRequest, reply: FastifyReply) {
  const { userId } = getAuth(request);
  if (!userId) {
    return reply.code(401).send({ error: 'unauthorized' });
  }
}

export async function orderRoutes(app: FastifyInstance) {
  app.get('/orders', { preHandler: requireUser }, async () => {
    return db.orders.list();
  });

  app.get('/orders/export', async () => { // expect: unprotected-route-handler
    return db.orders.dump();
  });

  app.route({ // expect: unprotected-route-handler
    method: 'DELETE',
    url: '/orders/:id',
    handler: async (request) => {
      await db.orders.remove((request.params as any).id);
      return { deleted: true };
    },
  });
}
