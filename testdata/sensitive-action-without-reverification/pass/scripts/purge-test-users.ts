import { createClerkClient } from '@clerk/backend'

// A one-off script: not an entry point.
const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })

async function main() {
  const { data } = await clerk.users.getUserList({ query: '+test@' })
  for (const u of data) await clerk.users.deleteUser(u.id)
}

main()
