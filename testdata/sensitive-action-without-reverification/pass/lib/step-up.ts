import { auth } from '@clerk/nextjs/server'

export async function requireStepUp() {
  await auth.protect({ reverification: 'strict' })
}

export async function needsStepUp() {
  const { has } = await auth()
  return !has({ reverification: 'moderate' })
}
