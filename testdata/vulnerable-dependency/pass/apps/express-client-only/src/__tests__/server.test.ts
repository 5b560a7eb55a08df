import express from 'express'
import { clerkMiddleware, getAuth } from '@clerk/express'

test('signed out', () => {
  const app = express()
  app.use(clerkMiddleware())
  app.get('/me', (req, res) => res.json(getAuth(req)))
})
