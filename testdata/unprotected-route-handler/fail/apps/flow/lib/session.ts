import { auth } from '@clerk/nextjs/server'

// Session helpers grouped in an object.
export const session = {
  async userIdOrNull() {
    const { userId } = await auth()
    return userId ?? null
  },
}
