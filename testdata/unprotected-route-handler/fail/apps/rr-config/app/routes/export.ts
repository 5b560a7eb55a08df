import { db } from '../db.server'

export async function loader() { // expect: unprotected-route-handler
  const rows = await db.project.findMany()
  return Response.json(rows)
}
