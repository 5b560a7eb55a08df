// A single-page app has no server: this module ships to every visitor.
const CLERK_SECRET_KEY = 'sk_live_6rvau5kHvRwMzzuVtYkwMJFrCfZ4U2EqkNk6sEr6f4' // expect: secret-key-in-client

export async function listUsers() {
  const res = await fetch('https://api.clerk.com/v1/users', {
    headers: { Authorization: `Bearer ${CLERK_SECRET_KEY}` },
  })
  return res.json()
}
