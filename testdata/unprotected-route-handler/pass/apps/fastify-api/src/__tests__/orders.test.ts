import Fastify from 'fastify'
import { getAuth } from '@clerk/fastify'

// Near miss: a test builds its own instance and registers a route on it; nothing serves it.
const app = Fastify()
app.get('/probe', async (request) => {
  const { userId } = getAuth(request)
  return { userId }
})
