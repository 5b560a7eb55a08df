// Pages Router API route with no session check.
import { listOrders } from '../../lib/orders'

export default function handler(req, res) {
  res.status(200).json({ orders: listOrders() })
}
