import Fastify from 'fastify';
import { getAuth } from '@clerk/fastify';
import { db } from './db';

const server = Fastify();

server.get('/notes', async (request, reply) => { // expect: unprotected-route-handler
  const { userId } = getAuth(request);
  if (!userId) {
    return reply.code(401).send();
  }
  return db.notes.list(userId);
});

server.listen({ port: 8080 });
