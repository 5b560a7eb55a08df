import express from 'express'
import { clerkMiddleware, getAuth } from '@clerk/express'
import { clerkOptions } from '../lib/clerk-options'

const app = express()

app.use('/v1', clerkMiddleware({ authorizedParties: process.env.ALLOWED_ORIGINS!.split(',') }))
app.use('/v2', clerkMiddleware(clerkOptions))
app.use('/v3', clerkMiddleware({ ...clerkOptions, signInUrl: '/login' }))

// A factory: whoever calls it decides the options.
export function withClerk(options: Parameters<typeof clerkMiddleware>[0]) {
  return clerkMiddleware(options)
}

app.get('/v1/me', (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).json({ error: 'unauthorized' })
  res.json({ userId })
})

app.listen(3001)
