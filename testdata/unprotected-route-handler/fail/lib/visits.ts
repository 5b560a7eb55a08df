import { db } from './db-stub'

export async function recordVisit(request: Request) {
  await db.audit.create({ data: { origin: request.headers.get('origin') } })
}
