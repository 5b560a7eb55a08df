import { Router } from 'express'
import { clerkClient } from '@clerk/express'

export const users = Router()

users.get('/', async (_req, res) => {
  const { data } = await clerkClient.users.getUserList()
  res.json(data.map((u) => u.id))
})
