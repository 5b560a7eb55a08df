import { auth } from '@clerk/nextjs/server'

// Session helpers grouped in an object.
export const session = {
  async requireUserId() {
    const { userId } = await auth()
    if (!userId) throw new Error('Unauthorized')
    return userId
  },
}
