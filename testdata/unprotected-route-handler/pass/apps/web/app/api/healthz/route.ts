import { prisma } from '../../../lib/prisma'

// A liveness probe pinging the database: not declared public, and still no finding.
export async function GET() {
  try {
    await prisma.$queryRaw`SELECT 1`
    return Response.json({ status: 'healthy' })
  } catch {
    return Response.json({ status: 'unhealthy' }, { status: 503 })
  }
}
