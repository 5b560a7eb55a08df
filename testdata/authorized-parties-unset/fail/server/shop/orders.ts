import express from 'express'
import { clerkMiddleware, getAuth } from '@clerk/express'

const router = express.Router()

router.get('/', clerkMiddleware(), (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  res.json([])
})
router.post('/', clerkMiddleware(), (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  res.status(201).end()
})

export default router
