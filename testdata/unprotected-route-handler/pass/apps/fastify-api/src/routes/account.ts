import type { FastifyInstance } from 'fastify';
import { requireUser } from '../plugins/auth';
import { db } from '../db';

export async function accountRoutes(app: FastifyInstance) {
  // Every route of this scope runs the hook first.
  app.addHook('preHandler', requireUser);

  app.get('/profile', async () => db.profile.get());

  app.put('/profile', async (request) => db.profile.update(request.body));
}
