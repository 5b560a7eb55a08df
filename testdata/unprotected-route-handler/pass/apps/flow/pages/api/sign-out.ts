import type { NextApiRequest, NextApiResponse } from 'next'
import { eventSlug } from '../../lib/events'

// Forgets the attendee's own cookie and goes home: nothing is changed or served.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const slug = await eventSlug(req.query.slug as string)
  res.setHeader('set-cookie', `${slug}=deleted; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`)
  res.redirect('/')
}
