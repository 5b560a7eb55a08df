const { getAuth } = require('@clerk/nextjs/server')

async function handler(req, res) {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  res.json({ userId })
}

module.exports = handler
