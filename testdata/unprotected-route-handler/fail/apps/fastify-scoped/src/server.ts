import fastify from 'fastify';
import { clerkPlugin, getAuth } from '@clerk/fastify';
import { adminRoutes } from './admin';
import { db } from './db';

const app = fastify();

app.get('/reports', async () => { // expect: unprotected-route-handler
  return db.reports.all();
});

app.register(async (scope) => {
  scope.register(clerkPlugin);

  scope.get('/private', async (request, reply) => {
    const { userId } = getAuth(request);
    if (!userId) {
      return reply.status(403).send();
    }
    return db.user(userId);
  });
});

app.register(adminRoutes, { prefix: '/admin' });

app.listen({ port: 3333 });
