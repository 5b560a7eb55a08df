import express from 'express'
import { clerkMiddleware, getAuth } from '@clerk/express'
import { clerkOptions } from '../lib/clerk-options'

const app = express()

app.use('/v1', clerkMiddleware({ authorizedParties: [] })) // expect: authorized-parties-unset
// The caller's own Origin header is always "allowed".
app.use('/v2', clerkMiddleware((req) => ({
  authorizedParties: [req.headers.origin ?? ''], // expect: authorized-parties-unset
})))
// Options from another module that carry no authorizedParties.
app.use('/v3', clerkMiddleware(clerkOptions)) // expect: authorized-parties-unset

app.get('/v1/me', (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).json({ error: 'unauthorized' })
  res.json({ userId })
})

app.listen(3001)
