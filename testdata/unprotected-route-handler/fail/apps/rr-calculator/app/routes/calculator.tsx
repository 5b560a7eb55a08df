import { db } from '../db.server'

// The same arithmetic, but every posted pair is stored.
export const action = async ({ request }: { request: Request }) => { // expect: unprotected-route-handler
  if (request.method === 'POST') {
    const form = await request.formData()
    const mass = Number(form.get('mass'))
    const height = Number(form.get('height'))
    const index = mass / (height * height)
    await db.measurement.create({ data: { mass, height, index } })
    return Response.json({ index: index.toFixed(1) })
  }
  return null
}

export default function Calculator() {
  return null
}
