import { Router } from 'express'
import { clerkMiddleware, getAuth } from '@clerk/express'

const reviews = Router()

reviews.delete('/:id', clerkMiddleware(), (req, res) => {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  res.status(204).end()
})

export default reviews
