import { prisma } from './prisma-stub'

export async function sendDigest() {
  const users = await prisma.user.findMany()
  return users.length
}
