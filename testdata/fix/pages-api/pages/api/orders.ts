import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from '@/lib/db'

export default async function handler(request: NextApiRequest, response: NextApiResponse) {
  response.status(200).json(await db.order.findMany())
}
