'use server'
export async function rotate() {
  return Boolean(process.env.CLERK_SECRET_KEY)
}
