import { auth } from '@clerk/nextjs/server'

export type TokenResult = { token: string } | { error: string; status: number }

// Signed out: an object with `error` and `status`; signed in: an object with `token`.
export async function requireToken(): Promise<TokenResult> {
  try {
    const { userId, getToken } = await auth()
    if (!userId) {
      return { error: 'Unauthorized', status: 401 }
    }
    const token = await getToken()
    if (!token) return { error: 'No token', status: 401 }
    return { token }
  } catch {
    return { error: 'Authentication failed', status: 500 }
  }
}
