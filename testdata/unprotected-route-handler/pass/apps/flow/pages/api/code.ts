import { NextApiRequest, NextApiResponse } from 'next'

// A constant answer: the types imported from `next` are no data.
export default function handler(req: NextApiRequest, res: NextApiResponse) {
  return res.send({ code: 'XZYEBP' })
}
