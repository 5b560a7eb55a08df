import express from 'express'
import { clerkMiddleware, getAuth } from '@clerk/express'

// A second app of the same package: a finding of its own.
const admin = express()
admin.use(clerkMiddleware()) // expect: authorized-parties-unset

admin.get('/stats', (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  res.json({})
})

admin.listen(3003)
