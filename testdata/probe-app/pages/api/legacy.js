// Pages Router API route with no session check.
export default function handler(req, res) {
  res.status(200).json({ orders: [{ id: 7, total: 42 }] })
}
