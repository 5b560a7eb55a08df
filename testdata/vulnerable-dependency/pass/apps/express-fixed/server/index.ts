import express from 'express'
import passport from 'passport'
import { clerkMiddleware, getAuth } from '@clerk/express'

const app = express()
app.use(passport.initialize())
app.use(clerkMiddleware())

app.get('/api/me', (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).json({ error: 'Unauthorized' })
  return res.json({ userId })
})

app.listen(3001)
