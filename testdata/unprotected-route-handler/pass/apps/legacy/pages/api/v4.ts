import { requireAuth } from '@clerk/nextjs/api'

export default requireAuth((req, res) => {
  res.json({ id: req.auth.userId })
})
