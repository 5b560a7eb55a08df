import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { clerkPlugin } from '@clerk/fastify';

async function clerk(app: FastifyInstance) {
  await app.register(clerkPlugin);
}

export default fp(clerk, { name: 'clerk' });
