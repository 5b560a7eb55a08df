import express from 'express'
import { clerkMiddleware, getAuth } from '@clerk/express'

const app = express()
app.use(clerkMiddleware({ authorizedParties: ['https://example.com'] }))

app.get('/me', (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).json({ error: 'Unauthorized' })
  res.json({ userId })
})

app.listen(3000)
