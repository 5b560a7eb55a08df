import type { FastifyInstance } from 'fastify';
import { getAuth } from '@clerk/fastify';
import { db } from './db';

export async function adminRoutes(app: FastifyInstance) {
  app.get('/users', async (request, reply) => { // expect: unprotected-route-handler
    const { userId } = getAuth(request);
    if (!userId) {
      return reply.status(401).send();
    }
    return db.users.all();
  });
}
