import type { FastifyInstance } from 'fastify';
import { getAuth } from '@clerk/fastify';
import { requireUser } from '../plugins/auth';
import { db } from '../db';

export async function orderRoutes(app: FastifyInstance) {
  app.get('/orders', { onRequest: [requireUser] }, async () => {
    return db.orders.list();
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/orders/bulk',
    preHandler: requireUser,
    handler: async (request) => db.orders.bulk(request.body),
  });

  app.get('/orders/mine', async (request, reply) => {
    const { userId } = getAuth(request);
    if (!userId) {
      return reply.code(401).send();
    }
    return db.orders.byUser(userId);
  });
}
