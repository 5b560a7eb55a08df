import type { NextApiRequest, NextApiResponse } from 'next'
import { listUsers } from '../../lib/users'

export default function handler(req: NextApiRequest, res: NextApiResponse) { // expect: unprotected-route-handler
  res.status(200).json({ users: listUsers() })
}
