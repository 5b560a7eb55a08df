// The app's order store (in memory for the test app).
const orders = [{ id: 7, total: 42 }]

export function listOrders() {
  return orders.slice()
}
